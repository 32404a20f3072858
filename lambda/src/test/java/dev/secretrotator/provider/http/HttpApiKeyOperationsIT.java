package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.ops.Status;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.OpenAiAdminKeyTestServer;
import dev.secretrotator.testing.saas.SendGridTestServer;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operations (emergency, rollback, status, repair) on http-api-key secrets. */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyOperationsIT {
    static final MutableClock CLOCK = new MutableClock();
    static SendGridTestServer sendgrid;
    static OpenAiAdminKeyTestServer openai;

    SaasRig rig;
    Duration advanced = Duration.ZERO;
    ApiKeys.Key first;
    String arn;

    @BeforeAll
    static void startServers() {
        sendgrid = new SendGridTestServer(CLOCK);
        openai = new OpenAiAdminKeyTestServer(CLOCK);
        Stream.of(sendgrid, openai).forEach(s -> s.propagationDelay(Duration.ofMillis(300)));
    }

    @AfterAll
    static void stopServers() {
        sendgrid.close();
        openai.close();
    }

    @BeforeEach
    void setUp(MotoServer moto) {
        sendgrid.reset();
        openai.reset();
        rig = new SaasRig(moto, CLOCK);
        first = sendgrid.seedKey("made in the console");
        arn = rig.createSecret("saas/ops", SaasRig.secret("sendgrid", sendgrid, first, rig.adminSecret("admin/sendgrid", sendgrid)));
    }

    @AfterEach
    void tearDown() {
        CLOCK.advance(advanced.negated());
        Stream.of(sendgrid, openai).forEach(s -> s.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret())));
    }

    @Test
    void emergencyAction_revokesTheLeakedCurrentKeyAtOnce() {
        // GIVEN a rotated secret: its current key has leaked
        rig.driver.rotate(arn);
        String leaked = keyId(rig.current(arn));

        // WHEN the emergency action runs
        rig.driver.invokeRaw(Json.write(Map.of("action", "emergency", "secretId", arn)));

        // THEN the leaked key and the one before it are revoked; a new key is current and works
        Map<String, Object> current = rig.current(arn);
        assertThat(sendgrid.isActive(leaked)).isFalse();
        assertThat(sendgrid.isActive(first.id())).isFalse();
        assertThat(keyId(current)).isNotIn(leaked, first.id());
        assertThat(sendgrid.accepts(current)).isTrue();
    }

    @Test
    void rollback_insideTheGracePeriod_restoresThePreviousKey() {
        // GIVEN a rotation whose new key turns out to be wrong for the consumers
        rig.driver.rotate(arn);

        // WHEN the rollback action runs
        rig.driver.invokeRaw(Json.write(Map.of("action", "rollback", "secretId", arn)));

        // THEN the previous key is current again, and works
        assertThat(keyId(rig.current(arn))).isEqualTo(first.id());
        assertThat(sendgrid.accepts(rig.current(arn))).isTrue();
    }

    @Test
    void rollback_afterTheSweepRevokedThePreviousKey_isRefused_andChangesNothing() {
        // GIVEN a rotation whose previous key the sweep revoked after the grace period
        rig.driver.rotate(arn);
        advance(Duration.ofHours(25));
        assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED");
        String current = keyId(rig.current(arn));

        // WHEN / THEN rollback refuses, and AWSCURRENT keeps the working key
        assertThatThrownBy(() -> rig.driver.invokeRaw(Json.write(Map.of("action", "rollback", "secretId", arn))))
                .isInstanceOf(RotationStateException.class).hasMessageContaining("cannot be restored");
        assertThat(keyId(rig.current(arn))).isEqualTo(current);
        assertThat(sendgrid.accepts(rig.current(arn))).isTrue();
    }

    @Test
    void status_showsEachVersionsKeyId_andWhatTheVendorSaysOfIt() {
        // GIVEN a rotated SendGrid secret whose previous key was revoked, and a rotated OpenAI admin key
        rig.driver.rotate(arn);
        advance(Duration.ofHours(25));
        rig.sweep(arn);
        ApiKeys.Key openAiFirst = openai.seedKey("made in the console");
        String openAiArn = rig.createSecret("saas/ops-openai", SaasRig.secret("openai-admin-key", openai, openAiFirst, null));
        rig.driver.rotate(openAiArn);

        // WHEN
        Status.SecretStatus sendgridStatus = rig.components.operations().status().of(arn);
        Status.SecretStatus openAiStatus = rig.components.operations().status().of(openAiArn);

        // THEN key ids (never values), and each key's state as the vendor knows it
        assertThat(state(sendgridStatus, keyId(rig.current(arn)))).containsEntry("status", "active");
        assertThat(state(sendgridStatus, first.id()).get("status")).startsWith("refused");
        assertThat(state(openAiStatus, keyId(rig.current(openAiArn)))).containsEntry("status", "active").containsKey("lastUsed");
        assertThat(state(openAiStatus, openAiFirst.id())).containsEntry("status", "active");
    }

    @Test
    void repair_ofAnAbandonedRotation_revokesTheKeyOnlyItHeld() {
        // GIVEN a rotation abandoned after createSecret minted and stored a key
        String token = rig.driver.startRotation(arn);
        rig.driver.invoke("createSecret", arn, token);
        String abandoned = keyId(Json.object(rig.client.getSecretValue(b -> b.secretId(arn).versionId(token)).secretString()));
        assertThat(sendgrid.isActive(abandoned)).isTrue();

        // WHEN the repair runs
        rig.components.operations().repair().run(arn, true);

        // THEN that key is revoked, AWSPENDING is gone, and the current key still works
        assertThat(sendgrid.isActive(abandoned)).isFalse();
        assertThat(rig.stages(arn).get(token)).doesNotContain("AWSPENDING");
        assertThat(keyId(rig.current(arn))).isEqualTo(first.id());
        assertThat(sendgrid.accepts(rig.current(arn))).isTrue();
    }

    private static String keyId(Map<String, Object> secret) {
        return (String) secret.get("keyId");
    }

    private static Map<String, String> state(Status.SecretStatus status, String keyId) {
        return status.versions().stream().filter(v -> v.credentialId().equals(keyId)).findFirst().orElseThrow().state();
    }

    private void advance(Duration by) {
        CLOCK.advance(by);
        advanced = advanced.plus(by);
    }
}
