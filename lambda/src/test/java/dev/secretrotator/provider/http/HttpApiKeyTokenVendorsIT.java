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
import dev.secretrotator.testing.saas.CloudflareTestServer;
import dev.secretrotator.testing.saas.ConfluentTestServer;
import dev.secretrotator.testing.saas.DatabricksTestServer;
import dev.secretrotator.testing.saas.GitLabTestServer;
import dev.secretrotator.testing.saas.KeyConsumerFleet;
import dev.secretrotator.testing.saas.SaasTestServer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token vendors of profile format 2 (GitLab project and group access tokens, Cloudflare user
 * API tokens, Databricks personal access tokens), each against its stand-in server, through the
 * real handler and moto: a new token inherits the current one's attributes, both work until the
 * sweep revokes the old one; a consumer fleet sees no failure; a token that never authenticates
 * leaves AWSCURRENT untouched; an emergency rotation revokes at once; refusals change nothing;
 * no token is ever printed ({@link LeakCheck} after each test).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyTokenVendorsIT {
    static final MutableClock CLOCK = new MutableClock();
    static final Map<String, SaasTestServer> SERVERS = new LinkedHashMap<>();
    /** Each vendor's documented host: not on the test allow-list. */
    static final Map<String, String> REAL_HOSTS = Map.of("gitlab-project-token", "https://gitlab.com",
            "gitlab-group-token", "https://gitlab.com", "cloudflare-user-token", "https://api.cloudflare.com",
            "databricks-pat", "https://dbc-1a2b3c4d-5e6f.cloud.databricks.com",
            "confluent-cloud-api-key", "https://api.confluent.cloud");

    SaasRig rig;
    Duration advanced = Duration.ZERO;
    final Map<String, String> adminArns = new LinkedHashMap<>();

    @BeforeAll
    static void startServers() {
        SERVERS.put("gitlab-project-token", new GitLabTestServer(CLOCK, false));
        SERVERS.put("gitlab-group-token", new GitLabTestServer(CLOCK, true));
        SERVERS.put("cloudflare-user-token", new CloudflareTestServer(CLOCK));
        SERVERS.put("databricks-pat", new DatabricksTestServer(CLOCK));
        SERVERS.put("confluent-cloud-api-key", new ConfluentTestServer(CLOCK));
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
    @ValueSource(strings = {"gitlab-project-token", "gitlab-group-token", "cloudflare-user-token", "databricks-pat",
            "confluent-cloud-api-key"})
    void tokenVendor_rotatesInheritingTheCurrentTokensAttributes_thenSweepRevokesThePreviousAfterTheGracePeriod(String profile) {
        // GIVEN a secret holding a token made in the vendor's UI; new tokens work after a second
        SaasTestServer server = SERVERS.get(profile);
        server.propagationDelay(Duration.ofSeconds(1));
        ApiKeys.Key first = server.seedKey("made in the UI");
        String arn = rig.createSecret("saas/" + profile, secret(profile, server, first));

        // WHEN Secrets Manager rotates it
        ServiceDriver.Result result = rig.driver.rotate(arn);

        // THEN a new token named after the rotation token is current, works, and has the first one's attributes;
        // testSecret waited out the propagation delay; the first token still works (grace period)
        Map<String, Object> current = rig.current(arn);
        String newId = (String) current.get("keyId");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(newId).isNotEqualTo(first.id());
        assertThat(server.key(newId).name()).contains(result.token());
        assertInherited(profile, server, first.id(), newId);
        assertThat(server.refusedWhilePropagating()).isPositive();
        assertThat(server.accepts(current)).isTrue();
        assertThat(server.accepts(secret(profile, server, first))).isTrue();
        assertThat(LeakCheck.captured()).doesNotContain((String) current.get("apiKey")).doesNotContain(first.secret());

        // WHEN the sweep runs inside the grace period THEN it waits; after it, the first token is revoked
        assertThat(rig.sweep(arn)).containsEntry("action", "WAITING").containsEntry("credentialId", first.id());
        advance(Duration.ofHours(25));
        assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED").containsEntry("credentialId", first.id());
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(server.consumerCall(secret(profile, server, first))).isEqualTo(server.rejectedStatus());
        assertThat(server.accepts(rig.current(arn))).isTrue();
        assertThat(rig.sweep(arn)).containsEntry("action", "NOTHING");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitlab-project-token", "gitlab-group-token", "cloudflare-user-token", "databricks-pat",
            "confluent-cloud-api-key"})
    void consumerFleet_throughTenRotationsAndRetirements_hasZeroFailedCalls(String profile) throws InterruptedException {
        // GIVEN consumers that re-read the secret every 100 ms and call the vendor without pause
        SaasTestServer server = SERVERS.get(profile);
        server.propagationDelay(Duration.ofMillis(200));
        ApiKeys.Key first = server.seedKey("made in the UI");
        String arn = rig.createSecret("saas/fleet-" + profile, secret(profile, server, first));
        int rotations = 10;
        KeyConsumerFleet.Figures figures;

        // WHEN it is rotated 10 times, each rotation followed by the sweep after the grace period
        try (KeyConsumerFleet fleet = new KeyConsumerFleet(3, Duration.ofMillis(100), Duration.ofSeconds(30),
                () -> rig.current(arn), server::consumerCall)) {
            for (int i = 0; i < rotations; i++) {
                assertThat(rig.driver.rotate(arn).attempts()).isEqualTo(1);
                Thread.sleep(300); // consumers re-read AWSCURRENT
                CLOCK.advance(Duration.ofHours(25));
                assertThat(rig.sweep(arn)).containsEntry("action", "DEACTIVATED");
                CLOCK.advance(Duration.ofHours(-25));
            }
            figures = fleet.stop();
        }

        // THEN not one consumer call failed, and only the current token (and the admin's) is left
        System.out.printf("http-api-key fleet (%s): %d rotations; consumers: %s%n", profile, rotations, figures);
        assertThat(figures.failures()).as("failures: %s", figures).isZero();
        assertThat(figures.distinctKeys()).isEqualTo(rotations + 1);
        assertThat(server.activeKeys()).extracting(ApiKeys.Key::id).contains((String) rig.current(arn).get("keyId"))
                .hasSize(profile.equals("databricks-pat") ? 1 : 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitlab-project-token", "gitlab-group-token", "cloudflare-user-token", "databricks-pat",
            "confluent-cloud-api-key"})
    void testSecret_whenTheNewTokenNeverAuthenticates_failsAndAwsCurrentIsUntouched(String profile) {
        // GIVEN a vendor that takes longer to accept a new token than the secret's verification timeout
        SaasTestServer server = SERVERS.get(profile);
        server.propagationDelay(Duration.ofMinutes(10));
        ApiKeys.Key first = server.seedKey("made in the UI");
        Map<String, Object> value = secret(profile, server, first);
        value.put("verification", Map.of("pollInterval", "PT0.1S", "timeout", "PT1S", "consecutiveSuccesses", 2));
        String arn = rig.createSecret("saas/slow-" + profile, value);
        String token = rig.driver.startRotation(arn);
        rig.driver.invoke("createSecret", arn, token);
        rig.driver.invoke("setSecret", arn, token);

        // WHEN / THEN testSecret fails, and AWSCURRENT still holds the first token, which still works
        assertThatThrownBy(() -> rig.driver.invoke("testSecret", arn, token))
                .isInstanceOf(VerificationException.class).hasMessageContaining("did not authenticate");
        assertThat(rig.current(arn)).containsEntry("keyId", first.id());
        assertThat(rig.stages(arn).get(token)).containsExactly("AWSPENDING");
        assertThat(server.accepts(rig.current(arn))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitlab-project-token", "gitlab-group-token", "cloudflare-user-token", "databricks-pat",
            "confluent-cloud-api-key"})
    void createAnswerLost_theServiceRetryFindsTheTokenByNameAndRevokesIt_leavingNoOrphan(String profile) {
        // GIVEN a vendor that mints the token but whose answer is lost (connection reset after acting)
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the UI");
        String arn = rig.createSecret("saas/lost-" + profile, secret(profile, server, first));
        List<String> before = server.activeKeys().stream().map(ApiKeys.Key::id).toList();
        server.failNext(SaasTestServer.Operation.CREATE, SaasTestServer.When.AFTER_ACTING);

        // WHEN Secrets Manager rotates it, retrying the failed createSecret
        ServiceDriver.Result result = rig.driver.rotate(arn);

        // THEN the retry listed the orphan by its name (the vendor's list shape), revoked it, and minted one token
        String current = (String) rig.current(arn).get("keyId");
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(server.calls(SaasTestServer.Operation.CREATE)).isEqualTo(2);
        assertThat(server.calls(SaasTestServer.Operation.REVOKE)).isEqualTo(1);
        assertThat(server.activeKeys()).extracting(ApiKeys.Key::id)
                .containsExactlyInAnyOrderElementsOf(concat(before, current));
        assertThat(server.accepts(rig.current(arn))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitlab-project-token", "gitlab-group-token", "cloudflare-user-token", "databricks-pat",
            "confluent-cloud-api-key"})
    void emergencyRotation_revokesThePreviousTokenAtOnce(String profile) {
        // GIVEN a leaked token
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("leaked");
        String arn = rig.createSecret("saas/leaked-" + profile, secret(profile, server, first));

        // WHEN an emergency rotation runs
        rig.emergencyRotation(arn);

        // THEN the leaked token is dead at once (no grace period), the new one works
        assertThat(server.isActive(first.id())).isFalse();
        assertThat(server.consumerCall(secret(profile, server, first))).isEqualTo(server.rejectedStatus());
        assertThat(server.accepts(rig.current(arn))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitlab-project-token", "gitlab-group-token", "cloudflare-user-token", "databricks-pat",
            "confluent-cloud-api-key"})
    void endpointNotOnTheAllowList_isRefusedBeforeAnyRequest_andNothingIsWritten(String profile) {
        // GIVEN a secret naming the vendor's real host, which the function's allow-list does not name
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the UI");
        Map<String, Object> value = secret(profile, server, first);
        value.put("endpoint", REAL_HOSTS.get(profile));
        String arn = rig.createSecret("saas/elsewhere-" + profile, value);
        String token = rig.driver.startRotation(arn);

        // WHEN / THEN createSecret refuses it, naming the host and the setting; nothing is minted or written
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(java.net.URI.create(REAL_HOSTS.get(profile)).getHost())
                .hasMessageContaining("ROTATOR_ALLOWED_ENDPOINT_HOSTS");
        assertThat(rig.faults.calls("putSecretValue")).isZero();
        for (SaasTestServer.Operation operation : SaasTestServer.Operation.values()) {
            assertThat(server.calls(operation)).as("%s requests", operation).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitlab-project-token", "cloudflare-user-token", "confluent-cloud-api-key"})
    void adminTokenTheVendorRefuses_failsCreateSecretNamingTheCallNotTheToken(String profile) {
        // GIVEN an admin secret holding a token that may not manage tokens (the rotated token itself)
        SaasTestServer server = SERVERS.get(profile);
        ApiKeys.Key first = server.seedKey("made in the UI");
        String weakAdmin = rig.createSecret("admin/weak-" + profile, profile.startsWith("confluent")
                ? Map.of("username", first.id(), "password", first.secret()) : Map.of("apiKey", first.secret()));
        dev.secretrotator.AdminTags.bindToAccount(rig.client, weakAdmin, "127.0.0.1");
        Map<String, Object> value = secret(profile, server, first);
        value.put("adminSecretArn", weakAdmin);
        String arn = rig.createSecret("saas/weak-" + profile, value);
        String token = rig.driver.startRotation(arn);

        // WHEN / THEN the first management call (the list) is refused: no token is minted, nothing written
        assertThatThrownBy(() -> rig.driver.invoke("createSecret", arn, token))
                .isInstanceOf(TargetServiceException.class)
                .hasMessageContaining("profile \"" + profile + "\" list (GET ")
                .hasMessageContaining(weakAdmin + " was refused: check it may manage keys")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(first.secret()));
        assertThat(server.calls(SaasTestServer.Operation.CREATE)).isZero();
        assertThat(rig.faults.calls("putSecretValue")).isZero();
    }

    private Map<String, Object> secret(String profile, SaasTestServer server, ApiKeys.Key key) {
        String admin = profile.equals("databricks-pat") ? null
                : adminArns.computeIfAbsent(profile, p -> rig.adminSecret("admin/" + p, server));
        return SaasRig.secret(profile, server, key, admin);
    }

    private static void assertInherited(String profile, SaasTestServer server, String firstId, String newId) {
        LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        switch (profile) {
            case "gitlab-project-token", "gitlab-group-token" -> {
                GitLabTestServer gitlab = (GitLabTestServer) server;
                assertThat(server.key(newId).scopes()).isEqualTo(server.key(firstId).scopes());
                assertThat(gitlab.accessLevel(newId)).isEqualTo(gitlab.accessLevel(firstId)).isEqualTo(30);
                assertThat(gitlab.expiresAt(newId)).as("the first token's 30-day lifetime, from today").isEqualTo(today.plusDays(30));
            }
            case "cloudflare-user-token" -> {
                CloudflareTestServer cloudflare = (CloudflareTestServer) server;
                assertThat(cloudflare.policies(newId)).hasSize(1).first().satisfies(p ->
                        assertThat(p).isInstanceOf(Map.class).asString().contains("DNS Write").contains("com.cloudflare.api.account.zone"));
                assertThat(cloudflare.condition(newId)).isEqualTo(cloudflare.condition(firstId));
                assertThat(cloudflare.expiresOn(newId)).get().satisfies(e ->
                        assertThat(Duration.between(CLOCK.instant(), e)).isBetween(Duration.ofDays(60).minusMinutes(1), Duration.ofDays(60)));
            }
            case "confluent-cloud-api-key" -> {
                ConfluentTestServer confluent = (ConfluentTestServer) server;
                assertThat(confluent.owner(newId)).isEqualTo(confluent.owner(firstId));
                assertThat(confluent.resource(newId)).isEqualTo(confluent.resource(firstId));
            }
            case "databricks-pat" -> assertThat(((DatabricksTestServer) server).expiry(newId)).get().satisfies(e ->
                    assertThat(Duration.between(CLOCK.instant(), e)).isBetween(Duration.ofDays(90).minusMinutes(1), Duration.ofDays(90)));
            default -> throw new IllegalArgumentException(profile);
        }
        assertThat(List.of(firstId, newId)).doesNotHaveDuplicates();
    }

    private static List<String> concat(List<String> ids, String id) {
        List<String> all = new java.util.ArrayList<>(ids);
        all.add(id);
        return all;
    }

    private void advance(Duration by) {
        CLOCK.advance(by);
        advanced = advanced.plus(by);
    }
}
