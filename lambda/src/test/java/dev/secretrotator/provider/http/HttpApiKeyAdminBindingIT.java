package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.AdminTags;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.AdminBinding;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.SaasTestServer.Operation;
import dev.secretrotator.testing.saas.SendGridTestServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The confused deputy guard of http-api-key: an admin secret is used only for the secrets and
 * hosts its own tags name, on every path, and a refusal changes nothing at the vendor.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyAdminBindingIT {
    static final MutableClock CLOCK = new MutableClock();
    static SendGridTestServer sendgrid;

    SaasRig rig;
    ApiKeys.Key first;
    Duration advanced = Duration.ZERO;

    @BeforeAll
    static void startServer() {
        sendgrid = new SendGridTestServer(CLOCK);
        sendgrid.propagationDelay(Duration.ofMillis(100));
    }

    @AfterAll
    static void stopServer() {
        sendgrid.close();
    }

    @BeforeEach
    void setUp(MotoServer moto) {
        sendgrid.reset();
        rig = new SaasRig(moto, CLOCK);
        first = sendgrid.seedKey("made in the console");
    }

    @AfterEach
    void tearDown() {
        CLOCK.advance(advanced.negated());
        sendgrid.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
    }

    /** An admin secret of the server's credentials, tagged as given ("-" leaves the tag out). */
    String admin(String name, String serves, String endpoints) {
        sendgrid.adminSecret().values().forEach(LeakCheck::sensitive);
        String arn = rig.client.createSecret(b -> b.name(name)
                .secretString(dev.secretrotator.testing.Json.write(sendgrid.adminSecret()))).arn();
        if (!serves.equals("-")) {
            rig.client.tagResource(b -> b.secretId(arn).tags(t -> t.key(AdminBinding.SERVES).value(serves)));
        }
        if (!endpoints.equals("-")) {
            rig.client.tagResource(b -> b.secretId(arn).tags(t -> t.key(AdminBinding.ENDPOINTS).value(endpoints)));
        }
        return arn;
    }

    static int vendorCalls() {
        return Arrays.stream(Operation.values()).filter(o -> o != Operation.CONSUME).mapToInt(sendgrid::calls).sum();
    }

    @ParameterizedTest(name = "serves={0} endpoints={1}")
    @CsvSource({
            "-, -, secret-rotator:serves (absent)",
            "saas/other-team, 127.0.0.1, does not serve secret 'saas/bound'",
            "saas/bound, -, secret-rotator:endpoints (absent)",
            "saas/bound, api.sendgrid.com, may not be sent to 127.0.0.1",
    })
    void createSecret_whenTheAdminSecretIsNotBoundToTheSecretAndHost_refusesBeforeAnyVendorCall(
            String serves, String endpoints, String expected) {
        // GIVEN a secret naming an admin secret whose tags do not bind it to this secret and host
        String adminArn = admin("admin/sendgrid", serves, endpoints);
        String arn = rig.createSecret("saas/bound", SaasRig.secret("sendgrid", sendgrid, first, adminArn));
        String token = rig.driver.startRotation(arn);
        int before = vendorCalls();
        var keysBefore = sendgrid.activeKeys().stream().map(ApiKeys.Key::id).toList();

        // WHEN createSecret runs THEN it is refused, naming the admin secret, the step and the tag
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the admin secret " + adminArn)
                .hasMessageContaining(expected)
                .hasMessageContaining("createSecret refused to use it")
                .hasMessageContaining("Nothing was changed");

        // AND nothing was sent to the vendor, no key was minted, AWSCURRENT holds the first key
        assertThat(vendorCalls()).isEqualTo(before);
        assertThat(sendgrid.activeKeys()).extracting(ApiKeys.Key::id).containsExactlyElementsOf(keysBefore).contains(first.id());
        assertThat(rig.current(arn)).containsEntry("keyId", first.id());
    }

    @Test
    void rotation_whenTheAdminSecretServesTheSecretByPrefix_andListsTheHost_completes() {
        // GIVEN an admin secret bound to saas/* on the server's host
        String adminArn = admin("admin/sendgrid", "saas/*", "127.0.0.1");
        String arn = rig.createSecret("saas/bound", SaasRig.secret("sendgrid", sendgrid, first, adminArn));

        // WHEN it rotates THEN a new key is current
        rig.driver.rotate(arn);
        assertThat(rig.current(arn).get("keyId")).isNotEqualTo(first.id());
    }

    @Test
    void sweepAndEmergencySweep_whenTheBindingWasRemoved_failWithoutRevokingAnything() {
        // GIVEN a rotated secret whose admin secret's owner then removed the binding
        String adminArn = AdminTags.bindToAccount(rig.client, admin("admin/sendgrid", "-", "-"), "127.0.0.1");
        String arn = rig.createSecret("saas/bound", SaasRig.secret("sendgrid", sendgrid, first, adminArn));
        rig.driver.rotate(arn);
        rig.client.untagResource(b -> b.secretId(adminArn).tagKeys(AdminBinding.SERVES));
        advanced = Duration.ofDays(3);
        CLOCK.advance(advanced);
        int before = vendorCalls();

        // WHEN the sweep and the emergency sweep run
        Map<String, Object> line = rig.sweep(arn);
        assertThatThrownBy(() -> rig.emergencySweep(arn)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("emergency sweep refused to use it");

        // THEN the sweep reports the refusal, and the previous key was not revoked
        assertThat(line).containsEntry("action", "FAILED");
        assertThat((String) line.get("detail")).contains("secret-rotator:serves (absent)").contains("sweep refused to use it");
        assertThat(vendorCalls()).isEqualTo(before);
        assertThat(sendgrid.isActive(first.id())).isTrue();
    }
}
