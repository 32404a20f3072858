package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.VerificationException;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.AtlasTestServer;
import dev.secretrotator.testing.saas.EntraTestServer;
import dev.secretrotator.testing.saas.GcpIamTestServer;
import dev.secretrotator.testing.saas.GoogleJwt;
import dev.secretrotator.testing.saas.KeyConsumerFleet;
import dev.secretrotator.testing.saas.OktaTestServer;
import dev.secretrotator.testing.saas.SaasTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OAuth vendors of profile format 2 (Entra ID client secrets, Okta client secrets, MongoDB Atlas
 * service-account secrets, Google Cloud service-account keys), each against its stand-in server,
 * through the real handler and moto. Management goes through the admin credential's token step
 * (client credentials, or a JWT signed with the admin key file); a new credential is proven by its
 * own token request. Entra and Atlas revoke the previous credential after the grace period; Okta
 * and Google Cloud deactivate it, then delete it after the hold if it is still inactive. A consumer
 * fleet sees no failure; a credential that never authenticates leaves AWSCURRENT untouched; an
 * emergency rotation revokes at once; refusals change nothing; nothing is printed ({@link LeakCheck}).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyOAuthVendorsIT {
    static final MutableClock CLOCK = new MutableClock();
    static final Map<String, SaasTestServer> SERVERS = new LinkedHashMap<>();
    /** Vendors that deactivate before they delete. */
    static final Set<String> STAGED = Set.of("okta-client-secret", "gcp-service-account-key");
    /** Each vendor's documented API or token host, which the test allow-list does not name. */
    static final Map<String, Map<String, String>> REAL_HOSTS = Map.of(
            "entra-client-secret", Map.of("tokenEndpoint", "https://login.microsoftonline.com"),
            "okta-client-secret", Map.of("endpoint", "https://example.okta.com", "tokenEndpoint", "https://example.okta.com"),
            "atlas-service-account-secret", Map.of("endpoint", "https://cloud.mongodb.com", "tokenEndpoint", "https://cloud.mongodb.com"),
            "gcp-service-account-key", Map.of("tokenEndpoint", "https://oauth2.googleapis.com"));
    static final Duration HOLD = Duration.ofHours(49);

    SaasRig rig;
    Duration advanced = Duration.ZERO;
    final Map<String, String> adminArns = new LinkedHashMap<>();

    @BeforeAll
    static void startServers() {
        SERVERS.put("entra-client-secret", new EntraTestServer(CLOCK));
        SERVERS.put("okta-client-secret", new OktaTestServer(CLOCK));
        SERVERS.put("atlas-service-account-secret", new AtlasTestServer(CLOCK));
        SERVERS.put("gcp-service-account-key", new GcpIamTestServer(CLOCK));
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(SaasTestServer::close);
    }

    @BeforeEach
    void setUp(MotoServer moto) {
        SERVERS.values().forEach(s -> {
            s.reset();
            s.propagationDelay(Duration.ofMillis(300));
        });
        rig = new SaasRig(moto, CLOCK);
    }

    @AfterEach
    void rewindClockAndRegisterKeys() {
        CLOCK.advance(advanced.negated());
        SERVERS.values().forEach(s -> s.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "okta-client-secret", "atlas-service-account-secret", "gcp-service-account-key"})
    void oauthVendor_rotatesProvingTheNewCredentialByItsTokenRequest_thenRetiresThePreviousOneStageBySweep(String profile) {
        // GIVEN a secret holding a credential made in the vendor's console; new ones work after a second
        SaasTestServer server = SERVERS.get(profile);
        server.propagationDelay(Duration.ofSeconds(1));
        ApiKeys.Key first = server.seedKey("made in the console");
        String arn = rig.createSecret("oauth/" + profile, secret(profile, server, first));

        // WHEN Secrets Manager rotates it
        ServiceDriver.Result result = rig.driver.rotate(arn);

        // THEN a new credential is current and works, testSecret waited out the propagation with token requests,
        // management used the admin credential's token, and the first credential still works (grace period)
        Map<String, Object> current = rig.current(arn);
        String newId = (String) current.get("keyId");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(newId).isNotEqualTo(first.id());
        assertThat(server.refusedWhilePropagating()).isPositive();
        assertThat(server.calls(SaasTestServer.Operation.VERIFY)).isGreaterThanOrEqualTo(3);
        if (!profile.equals("okta-client-secret")) { // Okta's management API takes the admin's SSWS token, no token step
            assertThat(server.calls(SaasTestServer.Operation.TOKEN)).isPositive();
        }
        assertVendorSpecifics(profile, server, newId);
        assertThat(server.accepts(current)).isTrue();
        assertThat(server.accepts(secret(profile, server, first))).isTrue();
        assertThat(LeakCheck.captured()).doesNotContain((String) current.get("apiKey")).doesNotContain(first.secret());

        // WHEN the sweep runs inside the grace period THEN it waits; after it, the first credential stops working
        assertThat(rig.sweep(arn)).containsEntry("action", "WAITING").containsEntry("credentialId", first.id());
        advance(Duration.ofHours(25));
        assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED").containsEntry("credentialId", first.id());
        assertThat(server.consumerCall(secret(profile, server, first))).isEqualTo(server.rejectedStatus());
        assertThat(server.accepts(rig.current(arn))).isTrue();
        if (STAGED.contains(profile)) {
            // deactivated, not deleted: it waits out the hold, then it is deleted
            assertThat(server.isActive(first.id())).isTrue();
            assertThat(rig.sweep(arn)).containsEntry("action", "WAITING");
            advance(HOLD);
            assertThat(rig.sweep(arn)).containsEntry("action", "DELETED").containsEntry("credentialId", first.id());
        }
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(rig.sweep(arn)).containsEntry("action", "NOTHING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "okta-client-secret", "atlas-service-account-secret", "gcp-service-account-key"})
    void consumerFleet_throughTenRotationsAndRetirements_hasZeroFailedCalls(String profile) throws InterruptedException {
        // GIVEN consumers that re-read the secret every 100 ms and make token requests with it without pause
        SaasTestServer server = SERVERS.get(profile);
        server.propagationDelay(Duration.ofMillis(200));
        ApiKeys.Key first = server.seedKey("made in the console");
        // in real time, no clock jumps (a JWT signed just before a jump of the test clock would look stale): a grace
        // period and a hold of 400 ms, longer than the consumers' 100 ms refresh, as the rule is for real periods
        Map<String, Object> value = secret(profile, server, first);
        value.put("retirement", Map.of("gracePeriod", "PT0.4S", "quietPeriod", "PT0S", "deleteAfter", "PT0.4S"));
        String arn = rig.createSecret("oauth/fleet-" + profile, value);
        int baseline = server.activeKeys().size(); // the admin's credential (where the server keeps one) and the first
        int rotations = 10;
        KeyConsumerFleet.Figures figures;
        java.util.List<String> notes;

        // WHEN it is rotated 10 times, each rotation followed by the retirement of the previous credential
        // (Okta allows two client secrets and Atlas two secrets: each must be gone before the next rotation)
        try (KeyConsumerFleet fleet = new KeyConsumerFleet(3, Duration.ofMillis(100), Duration.ofSeconds(60),
                () -> rig.current(arn), server::consumerCall)) {
            for (int i = 0; i < rotations; i++) {
                assertThat(rig.driver.rotate(arn).attempts()).isEqualTo(1);
                Thread.sleep(500); // the grace period passes; consumers re-read AWSCURRENT
                assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED");
                if (STAGED.contains(profile)) {
                    Thread.sleep(450); // the hold
                    assertThat(rig.sweep(arn)).containsEntry("action", "DELETED");
                }
            }
            figures = fleet.stop();
            notes = fleet.failureNotes();
        }

        // THEN not one consumer call failed, and only the current credential is left
        System.out.printf("http-api-key fleet (%s): %d rotations; consumers: %s%n", profile, rotations, figures);
        assertThat(figures.failures()).as("failures: %s %s", figures, notes).isZero();
        assertThat(figures.distinctKeys()).isEqualTo(rotations + 1);
        assertThat(server.activeKeys()).extracting(ApiKeys.Key::id).contains((String) rig.current(arn).get("keyId"))
                .doesNotContain(first.id()).hasSize(baseline);
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "okta-client-secret", "atlas-service-account-secret", "gcp-service-account-key"})
    void testSecret_whenTheNewCredentialNeverAuthenticates_failsAndAwsCurrentIsUntouched(String profile) {
        // GIVEN a vendor that takes longer to accept a new credential than the secret's verification timeout
        SaasTestServer server = SERVERS.get(profile);
        server.propagationDelay(Duration.ofMinutes(10));
        ApiKeys.Key first = server.seedKey("made in the console");
        Map<String, Object> value = secret(profile, server, first);
        value.put("verification", Map.of("pollInterval", "PT0.1S", "timeout", "PT1S", "consecutiveSuccesses", 2));
        String arn = rig.createSecret("oauth/slow-" + profile, value);
        String token = rig.driver.startRotation(arn);
        rig.driver.invoke("createSecret", arn, token);
        rig.driver.invoke("setSecret", arn, token);

        // WHEN / THEN testSecret fails naming the refused token requests; AWSCURRENT still holds the first credential
        assertThatThrownBy(() -> rig.driver.invoke("testSecret", arn, token))
                .isInstanceOf(VerificationException.class).hasMessageContaining("did not authenticate")
                .hasMessageContaining("last answer token request HTTP " + server.rejectedStatus());
        assertThat(rig.current(arn)).containsEntry("keyId", first.id());
        assertThat(rig.stages(arn).get(token)).containsExactly("AWSPENDING");
        assertThat(server.accepts(rig.current(arn))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "okta-client-secret", "atlas-service-account-secret", "gcp-service-account-key"})
    void emergencyRotation_revokesThePreviousCredentialAtOnce(String profile) {
        // GIVEN a leaked credential
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("leaked");
        String arn = rig.createSecret("oauth/leaked-" + profile, secret(profile, server, first));

        // WHEN an emergency rotation runs
        rig.emergencyRotation(arn);

        // THEN the leaked credential is gone at once (Okta's deactivated first: it deletes only inactive secrets)
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(server.consumerCall(secret(profile, server, first))).isEqualTo(server.rejectedStatus());
        assertThat(server.accepts(rig.current(arn))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"okta-client-secret", "gcp-service-account-key"})
    void previousCredentialActivatedAgainByHand_isKeptAndReported_neverDeleted(String profile) {
        // GIVEN a rotated secret whose previous credential the sweep deactivated
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        String arn = rig.createSecret("oauth/reactivated-" + profile, secret(profile, server, first));
        rig.driver.rotate(arn);
        advance(Duration.ofHours(25));
        assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED");

        // WHEN someone activates it again in the console, and the hold passes
        if (server instanceof OktaTestServer okta) {
            okta.activate(first.id());
        } else {
            ((GcpIamTestServer) server).enable(first.id());
        }
        advance(HOLD);

        // THEN the sweep keeps it, says why, and it still works
        Map<String, Object> line = rig.sweep(arn);
        assertThat(line).containsEntry("action", "STILL_IN_USE").containsEntry("credentialId", first.id());
        assertThat((String) line.get("detail")).contains("someone re-activated it, so it is kept");
        assertThat(server.isActive(first.id())).isTrue();
        assertThat(server.accepts(secret(profile, server, first))).isTrue();
        assertThat(server.calls(SaasTestServer.Operation.REVOKE)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"atlas-service-account-secret"})
    void previousSecretUsedWithinTheQuietPeriod_isKeptAndReported_thenDeletedOnceUnused(String profile) {
        // GIVEN a rotated Atlas secret whose previous secret a forgotten consumer still uses after the grace period
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        String arn = rig.createSecret("oauth/still-used-" + profile, secret(profile, server, first));
        rig.driver.rotate(arn);
        advance(Duration.ofHours(25));
        assertThat(server.accepts(secret(profile, server, first))).isTrue(); // Atlas records lastUsedAt

        // WHEN the sweep runs THEN it keeps the secret (Atlas' lastUsedAt is within the quiet period) and says why
        Map<String, Object> line = rig.sweep(arn);
        assertThat(line).containsEntry("action", "STILL_IN_USE").containsEntry("credentialId", first.id());
        assertThat(server.isActive(first.id())).isTrue();
        assertThat(server.calls(SaasTestServer.Operation.REVOKE)).isZero();

        // WHEN the consumer moved on and the quiet period (4 h) passed THEN the next sweep deletes it
        advance(Duration.ofHours(5));
        assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED").containsEntry("credentialId", first.id());
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(rig.sweep(arn)).containsEntry("action", "NOTHING"); // no longer listed in the service account
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "okta-client-secret", "atlas-service-account-secret", "gcp-service-account-key"})
    void apiOrTokenHostNotOnTheAllowList_isRefusedBeforeAnyRequest_andNothingIsWritten(String profile) {
        // GIVEN a secret naming the vendor's real API or token host, which the function's allow-list does not name
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        Map<String, Object> value = secret(profile, server, first);
        value.putAll(REAL_HOSTS.get(profile));
        String arn = rig.createSecret("oauth/elsewhere-" + profile, value);
        String token = rig.driver.startRotation(arn);
        String host = java.net.URI.create(REAL_HOSTS.get(profile).get("tokenEndpoint")).getHost();

        // WHEN / THEN createSecret refuses it, naming the host and the setting; nothing is requested or written
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(host)
                .hasMessageContaining("ROTATOR_ALLOWED_ENDPOINT_HOSTS");
        assertThat(rig.faults.calls("putSecretValue")).isZero();
        for (SaasTestServer.Operation operation : SaasTestServer.Operation.values()) {
            assertThat(server.calls(operation)).as("%s requests", operation).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "atlas-service-account-secret", "gcp-service-account-key"})
    void adminSecretNotBoundToTheTokenHost_isRefusedBeforeAnyRequest(String profile) {
        // GIVEN the admin secret's secret-rotator:endpoints tag lists the API host (127.0.0.1) but the token service is
        // reached as another host (localhost, the same stand-in)
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        Map<String, Object> value = secret(profile, server, first);
        value.put("tokenEndpoint", server.url().replace("127.0.0.1", "localhost"));
        String arn = rig.createSecret("oauth/token-host-" + profile, value);
        String token = rig.driver.startRotation(arn);

        // WHEN / THEN createSecret refuses to send the admin credential there, naming the host and the tag; no request
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("may not be sent to localhost:")
                .hasMessageContaining("secret-rotator:endpoints");
        for (SaasTestServer.Operation operation : SaasTestServer.Operation.values()) {
            assertThat(server.calls(operation)).as("%s requests", operation).isZero();
        }
        assertThat(rig.faults.calls("putSecretValue")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "okta-client-secret", "atlas-service-account-secret", "gcp-service-account-key"})
    void adminCredentialThatMayNotManageCredentials_failsCreateSecretNamingTheCallNotTheCredential(String profile) {
        // GIVEN an admin secret holding the rotated credential itself (it gets a token, but may not manage
        // credentials), or for Okta an API token Okta does not know
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        String weakAdmin = rig.createSecret("admin/weak-" + profile, weakAdmin(profile, server, first));
        dev.secretrotator.AdminTags.bindToAccount(rig.client, weakAdmin, "127.0.0.1");
        Map<String, Object> value = secret(profile, server, first);
        value.put("adminSecretArn", weakAdmin);
        String arn = rig.createSecret("oauth/weak-" + profile, value);
        String token = rig.driver.startRotation(arn);
        int before = server.activeKeys().size();

        // WHEN / THEN the first management call is refused: nothing is minted, nothing written, no value quoted
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(TargetServiceException.class)
                .hasMessageContaining("profile \"" + profile + "\" " + (profile.equals("entra-client-secret") ? "list (GET " : "create (POST "))
                .hasMessageContaining(weakAdmin + " was refused: check it may manage keys")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(first.secret()));
        assertThat(server.activeKeys()).hasSize(before);
        assertThat(rig.faults.calls("putSecretValue")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret", "atlas-service-account-secret"})
    void keyLifetimeNotLongerThanGraceQuietAndHold_isRefusedBeforeAnyRequest(String profile) {
        // GIVEN a secret asking for new credentials that live two days (grace 24 h + quiet 4 h + hold 48 h is longer)
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        Map<String, Object> value = secret(profile, server, first);
        value.put("keyLifetime", "P2D");
        String arn = rig.createSecret("oauth/short-" + profile, value);
        String token = rig.driver.startRotation(arn);

        // WHEN / THEN createSecret refuses, saying why, before any request; nothing is written
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a new key would live PT48H")
                .hasMessageContaining("nothing was created");
        for (SaasTestServer.Operation operation : SaasTestServer.Operation.values()) {
            assertThat(server.calls(operation)).as("%s requests", operation).isZero();
        }
        assertThat(rig.faults.calls("putSecretValue")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"entra-client-secret"})
    void createAnswerLost_theServiceRetryFindsThePasswordByItsDisplayNameAndRemovesIt(String profile) {
        // GIVEN Graph adds the password but the answer is lost (connection reset after acting)
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the console");
        String arn = rig.createSecret("oauth/lost-" + profile, secret(profile, server, first));
        int baseline = server.activeKeys().size();
        server.failNext(SaasTestServer.Operation.CREATE, SaasTestServer.When.AFTER_ACTING);

        // WHEN Secrets Manager rotates it, retrying the failed createSecret
        ServiceDriver.Result result = rig.driver.rotate(arn);

        // THEN the retry listed the orphan by its displayName, removed it, and added one password
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(server.calls(SaasTestServer.Operation.CREATE)).isEqualTo(2);
        assertThat(server.calls(SaasTestServer.Operation.REVOKE)).isEqualTo(1);
        assertThat(server.activeKeys()).extracting(ApiKeys.Key::id).contains(first.id(), (String) rig.current(arn).get("keyId"))
                .hasSize(baseline + 1);
    }

    private Map<String, Object> secret(String profile, SaasTestServer server, ApiKeys.Key key) {
        String admin = adminArns.computeIfAbsent(profile, p -> rig.adminSecret("admin/" + p, server));
        Map<String, Object> secret = SaasRig.secret(profile, server, key, admin);
        secret.put("tokenEndpoint", server.url());
        return secret;
    }

    private static Map<String, Object> weakAdmin(String profile, SaasTestServer server, ApiKeys.Key rotated) {
        Map<String, Object> fields = server.secretFields();
        return switch (profile) {
            case "entra-client-secret" -> Map.of("tenantId", fields.get("tenantId"), "clientId", fields.get("clientId"),
                    "clientSecret", rotated.secret());
            case "atlas-service-account-secret" -> Map.of("clientId", fields.get("clientId"), "clientSecret", rotated.secret());
            case "gcp-service-account-key" -> Map.of("keyFile", GoogleJwt.keyFileJson(rotated.secret()));
            case "okta-client-secret" -> Map.of("apiToken", "00" + ApiKeys.random(40));
            default -> throw new IllegalArgumentException(profile);
        };
    }

    private static void assertVendorSpecifics(String profile, SaasTestServer server, String newId) {
        Instant now = CLOCK.instant();
        switch (profile) {
            case "entra-client-secret" -> assertThat(Duration.between(now, Instant.parse(((EntraTestServer) server).endDateTime(newId))))
                    .as("endDateTime: the profile's 180 days").isBetween(Duration.ofDays(180).minusMinutes(1), Duration.ofDays(180));
            case "atlas-service-account-secret" -> assertThat(Duration.between(now, ((AtlasTestServer) server).expiresAt(newId)))
                    .as("secretExpiresAfterHours: 8760").isBetween(Duration.ofDays(365).minusMinutes(1), Duration.ofDays(365));
            case "okta-client-secret" -> assertThat(((OktaTestServer) server).status(newId)).isEqualTo("ACTIVE");
            case "gcp-service-account-key" -> assertThat(newId).matches("[0-9a-f]{40}"); // the id from the key's resource name
            default -> throw new IllegalArgumentException(profile);
        }
    }

    private void advance(Duration by) {
        CLOCK.advance(by);
        advanced = advanced.plus(by);
    }
}
