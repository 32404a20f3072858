package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.VerificationException;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.SendGridTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Only a 2xx proves a new key, unless the profile names another status with its reason: a
 * typo'd verify path (404) or an unnamed 403 fails testSecret at once, AWSCURRENT untouched.
 * Profiles are the built-in SendGrid one, given inline with a changed verify call.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyVerifyIT {
    static final MutableClock CLOCK = new MutableClock();
    static SendGridTestServer sendgrid;

    SaasRig rig;
    ApiKeys.Key first;
    String adminArn;

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
        adminArn = rig.adminSecret("admin/sendgrid", sendgrid);
    }

    @AfterEach
    void tearDown() {
        sendgrid.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
    }

    /** The built-in sendgrid profile with {@code verify} replaced. */
    static Map<String, Object> sendgridWithVerify(Map<String, Object> verify) {
        try (InputStream in = HttpApiKeyVerifyIT.class.getResourceAsStream("/profiles/sendgrid.json")) {
            Map<String, Object> profile = new LinkedHashMap<>(Json.object(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            profile.put("name", "sendgrid-inline");
            profile.put("verify", verify);
            return profile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String secret(String name, Map<String, Object> profile, List<String> scopes) {
        Map<String, Object> value = SaasRig.secret("sendgrid", sendgrid, first, adminArn);
        value.put("profile", profile);
        if (scopes != null) {
            value.put("scopes", scopes);
        }
        return rig.createSecret(name, value);
    }

    /** createSecret and setSecret of a started rotation; returns its token. */
    String upToTestSecret(String arn) {
        String token = rig.driver.startRotation(arn);
        rig.driver.invoke("createSecret", arn, token);
        rig.driver.invoke("setSecret", arn, token);
        return token;
    }

    @Test
    void testSecret_whenTheVerifyPathIsWrong_404_failsAtOnceSayingSo_andAwsCurrentIsUntouched() {
        // GIVEN a profile whose verify path has a typo: the vendor answers 404 to every key
        String arn = secret("saas/typo", sendgridWithVerify(Map.of("path", "/v3/scopez")), null);
        String token = upToTestSecret(arn);
        Instant start = Instant.now();

        // WHEN testSecret runs THEN it fails with a message naming the call, the status and the fix
        assertThatThrownBy(() -> rig.driver.invoke("testSecret", arn, token))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("verify (GET /v3/scopez) answered HTTP 404: only a 2xx proves a key")
                .hasMessageContaining("verify.path is wrong")
                .hasMessageContaining("AWSCURRENT is untouched");

        // AND it did not poll until the timeout (15 s in these secrets), and AWSCURRENT holds the first key
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(rig.current(arn)).containsEntry("keyId", first.id());
        assertThat(rig.stages(arn).get(token)).containsExactly("AWSPENDING");
    }

    @Test
    void testSecret_whenTheVendorAnswers403AndTheProfileDoesNotNameIt_fails() {
        // GIVEN a verify call a valid key without the api_keys scopes is refused with 403
        String arn = secret("saas/scoped", sendgridWithVerify(Map.of("path", "/v3/api_keys?limit=1")),
                List.of("mail.send", "scopes.read"));
        String token = upToTestSecret(arn);

        // WHEN / THEN the 403 proves nothing
        assertThatThrownBy(() -> rig.driver.invoke("testSecret", arn, token))
                .isInstanceOf(VerificationException.class)
                .hasMessageContaining("answered HTTP 403: only a 2xx proves a key")
                .hasMessageContaining("verify.acceptStatuses");
        assertThat(rig.current(arn)).containsEntry("keyId", first.id());
    }

    @Test
    void rotation_whenTheProfileNames403WithAReason_acceptsIt() {
        // GIVEN the same verify call, with 403 named as proof for this vendor
        String arn = secret("saas/scoped-accepted", sendgridWithVerify(Map.of("path", "/v3/api_keys?limit=1",
                "acceptStatuses", Map.of("403", "a valid key without the api_keys scopes is refused this list"))),
                List.of("mail.send", "scopes.read"));

        // WHEN it rotates THEN the new key is current
        rig.driver.rotate(arn);
        assertThat(rig.current(arn).get("keyId")).isNotEqualTo(first.id());
        assertThat(sendgrid.isActive((String) rig.current(arn).get("keyId"))).isTrue();
    }
}
