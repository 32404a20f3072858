package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.DatadogTestServer;
import dev.secretrotator.testing.saas.OpenAiAdminKeyTestServer;
import dev.secretrotator.testing.saas.SaasTestServer;
import dev.secretrotator.testing.saas.SendGridTestServer;
import dev.secretrotator.testing.saas.TwilioTestServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each built-in profile against its WireMock server, through the real handler and moto. */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyRotationIT {
    static final MutableClock CLOCK = new MutableClock();
    static final Map<String, SaasTestServer> SERVERS = new LinkedHashMap<>();

    SaasRig rig;
    Duration advanced = Duration.ZERO;

    @BeforeAll
    static void startServers() {
        SERVERS.put("sendgrid", new SendGridTestServer(CLOCK));
        SERVERS.put("twilio", new TwilioTestServer(CLOCK));
        SERVERS.put("datadog", new DatadogTestServer(CLOCK));
        SERVERS.put("openai-admin-key", new OpenAiAdminKeyTestServer(CLOCK));
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(SaasTestServer::close);
    }

    @BeforeEach
    void setUp(MotoServer moto) {
        SERVERS.values().forEach(SaasTestServer::reset);
        rig = new SaasRig(moto, CLOCK);
    }

    @AfterEach
    void rewindClockAndRegisterKeys() {
        CLOCK.advance(advanced.negated());
        SERVERS.values().forEach(s -> s.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sendgrid", "twilio", "datadog", "openai-admin-key"})
    void builtInProfile_rotatesWithBothKeysValid_thenSweepRevokesThePreviousKeyAfterTheGracePeriod(String profile) {
        // GIVEN a secret holding a key made in the vendor's console (OpenAI's admin key mints its own successor)
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        String admin = profile.equals("openai-admin-key") ? null : rig.adminSecret("admin/" + profile, server);
        String arn = rig.createSecret("saas/" + profile, SaasRig.secret(profile, server, first, admin));

        // WHEN Secrets Manager rotates it
        ServiceDriver.Result result = rig.driver.rotate(arn);

        // THEN a new key named after the rotation token is current and works; testSecret waited out
        // the propagation delay; the first key still works (grace period)
        Map<String, Object> current = rig.current(arn);
        String newId = (String) current.get("keyId");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(newId).isNotEqualTo(first.id());
        assertThat(server.key(newId).name()).contains(result.token());
        assertThat(server.refusedWhilePropagating()).isPositive();
        assertThat(server.accepts(current)).isTrue();
        assertThat(server.accepts(SaasRig.secret(profile, server, first, admin))).isTrue();

        // WHEN the sweep runs inside the grace period THEN it waits
        assertThat(rig.sweep(arn)).containsEntry("action", "WAITING").containsEntry("credentialId", first.id());
        assertThat(server.isActive(first.id())).isTrue();

        // WHEN it runs after the grace period
        advance(Duration.ofHours(25));
        Map<String, Object> line = rig.sweep(arn);

        // THEN the first key is revoked (the vendor answers as for a dead key), the new one works
        assertThat(line).containsEntry("action", "DEACTIVATED").containsEntry("credentialId", first.id());
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(server.consumerCall(SaasRig.secret(profile, server, first, admin))).isEqualTo(server.rejectedStatus());
        assertThat(server.accepts(rig.current(arn))).isTrue();
        // and a later sweep has nothing left to do
        assertThat(rig.sweep(arn)).containsEntry("action", "NOTHING");
    }

    @Test
    void openAiAdminKey_previousKeyUsedWithinTheQuietPeriod_isKeptAndReported() {
        // GIVEN a rotated OpenAI admin key
        SaasTestServer server = SERVERS.get("openai-admin-key");
        ApiKeys.Key first = server.seedKey("made in the console");
        String arn = rig.createSecret("saas/openai", SaasRig.secret("openai-admin-key", server, first, null));
        rig.driver.rotate(arn);

        // WHEN a consumer still uses the previous key after the grace period, and the sweep runs
        advance(Duration.ofHours(25));
        assertThat(server.accepts(SaasRig.secret("openai-admin-key", server, first, null))).isTrue();
        Map<String, Object> line = rig.sweep(arn);

        // THEN the key is kept and reported as still in use (last_used_at is within the quiet period)
        assertThat(line).containsEntry("action", "STILL_IN_USE").containsEntry("credentialId", first.id());
        assertThat(server.isActive(first.id())).isTrue();

        // WHEN it stays unused for the quiet period THEN the next sweep revokes it
        advance(Duration.ofHours(5));
        assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED");
        assertThat(server.isActive(first.id())).isFalse();
    }

    @Test
    void emergencyRotation_revokesThePreviousKeyAtTheCutover() {
        // GIVEN a SendGrid secret
        SaasTestServer server = SERVERS.get("sendgrid");
        ApiKeys.Key first = server.seedKey("leaked key");
        String admin = rig.adminSecret("admin/sendgrid", server);
        String arn = rig.createSecret("saas/leaked", SaasRig.secret("sendgrid", server, first, admin));

        // WHEN an emergency rotation runs
        rig.emergencyRotation(arn);

        // THEN the leaked key is dead at once, the new one works
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(server.accepts(rig.current(arn))).isTrue();
        // and the sweep, which calls no vendor during the grace period, finds it already revoked afterwards
        advance(Duration.ofHours(25));
        assertThat(rig.sweep(arn)).containsEntry("action", "NOTHING").containsEntry("detail", "already revoked");
    }

    @Test
    void emergencySweep_revokesThePreviousKeyInsideTheGracePeriod() {
        // GIVEN a rotated Twilio key, still in its grace period
        SaasTestServer server = SERVERS.get("twilio");
        ApiKeys.Key first = server.seedKey("made in the console");
        String admin = rig.adminSecret("admin/twilio", server);
        String arn = rig.createSecret("saas/twilio-emergency", SaasRig.secret("twilio", server, first, admin));
        rig.driver.rotate(arn);

        // WHEN the emergency sweep runs
        RetirementResult result = rig.emergencySweep(arn);

        // THEN the previous key is revoked at once
        assertThat(result.action()).isEqualTo(RetirementResult.Action.REVOKED);
        assertThat(result.credentialId()).isEqualTo(first.id());
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(server.accepts(rig.current(arn))).isTrue();
    }

    @Test
    void genericProfile_writtenInFullInTheSecret_rotatesAndRetires() {
        // GIVEN a vendor without a built-in profile (played by the SendGrid server), described in the secret itself
        SaasTestServer server = SERVERS.get("sendgrid");
        ApiKeys.Key first = server.seedKey("made in the console");
        Map<String, Object> secret = SaasRig.secret("unused", server, first, null);
        secret.put("profile", Map.of(
                "name", "mint-api",
                "keyName", "billing-worker-{versionId}",
                "auth", Map.of("management", "key", "key", Map.of("headers", Map.of("Authorization", "Bearer {apiKey}"))),
                "create", Map.of("path", "/v3/api_keys", "body", Map.of("name", "{name}"),
                        "response", Map.of("id", "/api_key_id", "key", "/api_key")),
                "list", Map.of("path", "/v3/api_keys?limit=100", "items", "/result", "id", "/api_key_id", "name", "/name"),
                "verify", Map.of("path", "/v3/scopes"),
                "revoke", Map.of("path", "/v3/api_keys/{keyId}")));
        String arn = rig.createSecret("saas/generic", secret);

        // WHEN it is rotated, and swept after the grace period
        ServiceDriver.Result result = rig.driver.rotate(arn);
        advance(Duration.ofHours(25));
        Map<String, Object> line = rig.sweep(arn);

        // THEN the key minted by the current key is current and works; the first key is revoked
        Map<String, Object> current = rig.current(arn);
        assertThat(server.key((String) current.get("keyId")).name()).isEqualTo("billing-worker-" + result.token());
        assertThat(server.accepts(current)).isTrue();
        assertThat(line).containsEntry("action", "DEACTIVATED");
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(current.get("profile")).isInstanceOf(Map.class);
    }

    @Test
    void endpointNotOnTheAllowList_isRefused_andNothingIsWritten() {
        // GIVEN a secret whose endpoint is a public host the function's allow-list does not name
        SaasTestServer server = SERVERS.get("sendgrid");
        ApiKeys.Key first = server.seedKey("made in the console");
        Map<String, Object> secret = SaasRig.secret("sendgrid", server, first, null);
        secret.put("endpoint", "https://api.sendgrid.com");
        String arn = rig.createSecret("saas/not-allowed", secret);
        String token = rig.driver.startRotation(arn);

        // WHEN / THEN createSecret refuses it, naming the host and the setting
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("api.sendgrid.com").hasMessageContaining("ROTATOR_ALLOWED_ENDPOINT_HOSTS");
        assertThat(rig.faults.calls("putSecretValue")).isZero();
        assertThat(rig.stages(arn).get(token)).containsExactly("AWSPENDING");
        // (that no request leaves before the check is shown with a counting client in HttpApiKeyProviderTest)
    }

    private void advance(Duration by) {
        CLOCK.advance(by);
        advanced = advanced.plus(by);
    }
}
