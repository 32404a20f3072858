package dev.secretrotator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.AdminTags;
import dev.secretrotator.TestRotator;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.EventBridgeEvents;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.weaviate.WeaviateCalls;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue 7 for the weaviate provider against moto and the Weaviate test server: emergency,
 * rollback, repair, status and events, both strategies (alternating-users above all).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class WeaviateOperationsIT {
    static final String USER_A = "app_a";
    static final String USER_B = "app_b";
    static final String MANAGER = "key_rotator";
    static final SecureRandom RANDOM = new SecureRandom();

    final MutableClock clock = new MutableClock();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    WeaviateTestServer server;
    String rootKey;
    EventQueue queue;
    TestRotator rotator;
    Operations ops;
    String rootAdminArn;
    String managerAdminArn;

    @BeforeEach
    void setUp(MotoServer moto) {
        rootKey = sensitive(randomKey());
        String managerKey = sensitive(randomKey());
        // a non-root management user: Weaviate shows it no apiKeyFirstLetters
        server = WeaviateTestServer.builder().withRootUser("admin", rootKey).withEnvUser(MANAGER, managerKey, "admin")
                .withRole("reader", "read_data").start();
        server.setClock(clock);
        queue = new EventQueue(moto);
        Map<String, String> env = Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1");
        Telemetry telemetry = Telemetry.stdout();
        rotator = new TestRotator(moto, env, ProviderServices.builder().clock(clock)
                .client(HttpClient.class, () -> http)
                .client(RotationEvents.class, () -> new EventBridgeEvents(queue.events, "default", telemetry)));
        ops = Components.of(ProviderServices.builder().config(RotatorConfig.fromEnv(TestRotator.testEnv(env))).clock(clock).telemetry(telemetry)
                .client(SecretsManagerClient.class, () -> rotator.client)
                .client(HttpClient.class, () -> http)
                .client(RotationEvents.class, () -> new EventBridgeEvents(queue.events, "default", telemetry)).build()).operations();
        rootAdminArn = AdminTags.bindToAccount(rotator.client,
                rotator.createSecret("weaviate-admin", Json.write(Map.of("apiKey", rootKey))), "127.0.0.1");
        managerAdminArn = AdminTags.bindToAccount(rotator.client,
                rotator.createSecret("weaviate-manager", Json.write(Map.of("apiKey", managerKey))), "127.0.0.1");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    // ---- events ----

    @Test
    void rotation_putsASecretRotatedEvent_namingTheNewActiveUser_andNoKey() {
        // GIVEN an alternating-users secret for app_a
        String arn = alternatingSecret(rootAdminArn);
        String keyA = currentKey(arn);

        // WHEN it rotates
        String token = rotator.driver.rotate(arn).token();

        // THEN one "Secret Rotated" event names app_b, the new active user, and carries no key
        List<Map<String, Object>> events = queue.drain();
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).containsEntry("source", "secret-rotator").containsEntry("detail-type", "Secret Rotated");
        assertThat(events.get(0).get("detail")).isEqualTo(Map.of("secretArn", arn, "versionId", token,
                "provider", "weaviate", "credentialId", USER_B));
        assertThat(Json.write(events)).doesNotContain(keyA).doesNotContain(currentKey(arn)).doesNotContain(rootKey);
    }

    // ---- emergency ----

    @Test
    void emergency_revokesTheLeakedKeyAtOnce_andTheNewCurrentKeyWorks() {
        // GIVEN a secret rotated once: app_b current (its key leaked), app_a previous
        String arn = alternatingSecret(rootAdminArn);
        String oldKeyA = currentKey(arn);
        rotator.driver.rotate(arn);
        String leaked = currentKey(arn);
        queue.drain();

        // WHEN the team runs an emergency rotation
        Map<String, Object> result = ops.emergency().run(arn);

        // THEN app_a is current with a new, working key; the leaked key and app_a's old key are dead at once
        Map<String, Object> current = value(arn, "AWSCURRENT");
        assertThat(current).containsEntry("userId", USER_A).containsEntry("alternateUserId", USER_B);
        assertThat(ownInfo((String) current.get("apiKey"))).isEqualTo(200);
        assertThat(ownInfo(leaked)).isEqualTo(401);
        assertThat(server.isKeyValid(oldKeyA)).isFalse();
        assertThat(userInfo(USER_B)).containsEntry("active", false).doesNotContainKey("apiKeyFirstLetters");
        assertThat(result.get("revoked").toString()).contains("REVOKED").contains(USER_B);
        // and the events say so, naming users only
        List<Map<String, Object>> events = queue.drain();
        assertThat(events).extracting(e -> e.get("detail-type")).contains("Secret Rotated", "Emergency Rotation");
        assertThat(events).filteredOn(e -> "Emergency Rotation".equals(e.get("detail-type"))).singleElement()
                .satisfies(e -> assertThat(e.get("detail")).asInstanceOf(MAP).containsEntry("credentialId", USER_A));
        assertThat(Json.write(events)).doesNotContain(leaked).doesNotContain((String) current.get("apiKey"));
        assertThat(LeakCheck.captured()).contains("EMERGENCY rotation started").contains("\"EmergencyRotation\":1.0");
    }

    @Test
    void emergency_ofASecretNeverRotated_createsTheAlternateUser_andRevokesTheLeakedKey() {
        // GIVEN a fresh secret with rotation on: app_a current, app_b does not exist yet
        String arn = alternatingSecret(rootAdminArn);
        rotator.driver.enableRotation(arn);
        String leaked = currentKey(arn);

        // WHEN
        Map<String, Object> result = ops.emergency().run(arn);

        // THEN app_b is current and works; app_a is deactivated with its key revoked
        Map<String, Object> current = value(arn, "AWSCURRENT");
        assertThat(current).containsEntry("userId", USER_B);
        assertThat(ownInfo((String) current.get("apiKey"))).isEqualTo(200);
        assertThat(ownInfo(leaked)).isEqualTo(401);
        assertThat(userInfo(USER_A)).containsEntry("active", false);
        assertThat(result.get("revoked").toString()).contains("NOTHING").contains("REVOKED");
    }

    @Test
    void emergency_ofASingleUserSecret_replacesTheKey_andTheLeakedOneIsDead() {
        // GIVEN a single-user secret with rotation on
        String arn = singleUserSecret();
        rotator.driver.enableRotation(arn);
        String leaked = currentKey(arn);

        // WHEN
        ops.emergency().run(arn);

        // THEN
        assertThat(ownInfo(currentKey(arn))).isEqualTo(200);
        assertThat(ownInfo(leaked)).isEqualTo(401);
        assertThat(queue.drain()).extracting(e -> e.get("detail-type")).contains("Emergency Rotation");
    }

    // ---- rollback ----

    @Test
    void rollback_afterARotation_putsThePreviousUserBack_withItsUnchangedKey_verified() {
        // GIVEN a rotation: app_b current, app_a previous
        String arn = alternatingSecret(rootAdminArn);
        Map<String, Object> first = value(arn, "AWSCURRENT");
        String firstVersion = version(arn, "AWSCURRENT");
        rotator.driver.rotate(arn);
        String keyB = currentKey(arn);
        clock.advance(Duration.ofMinutes(10));
        Instant beforeRollback = clock.instant();
        queue.drain();

        // WHEN the team rolls back
        String restored = ops.rollback().run(arn);

        // THEN the first version (app_a, same key) is current again, proven by own-info calls with its key
        assertThat(restored).isEqualTo(firstVersion);
        assertThat(value(arn, "AWSCURRENT")).isEqualTo(first);
        assertThat(Instant.parse((String) userInfo(USER_A).get("lastUsedAt"))).isAfterOrEqualTo(beforeRollback.minusSeconds(1));
        assertThat(ownInfo((String) first.get("apiKey"))).isEqualTo(200);
        // app_b, now previous, keeps working for consumers that have not refreshed
        assertThat(value(arn, "AWSPREVIOUS")).containsEntry("userId", USER_B);
        assertThat(ownInfo(keyB)).isEqualTo(200);
        assertThat(queue.drain()).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("detail-type", "Secret Rolled Back");
            assertThat(e.get("detail")).asInstanceOf(MAP).containsEntry("credentialId", USER_A);
        });
    }

    @Test
    void rollback_afterTheSweepDeactivatedThePreviousUser_reactivatesIt_andItWorks() {
        // GIVEN app_a deactivated by the sweep (its key kept) a day after the rotation
        String arn = alternatingSecret(rootAdminArn);
        String keyA = currentKey(arn);
        rotator.driver.rotate(arn);
        clock.advance(Duration.ofHours(30));
        assertThat(rotator.sweep(arn)).contains("DEACTIVATED");
        assertThat(server.isKeyValid(keyA)).isFalse();

        // WHEN
        ops.rollback().run(arn);

        // THEN app_a is active and current again with its old key, and the ledger forgot its deactivation
        assertThat(value(arn, "AWSCURRENT")).containsEntry("userId", USER_A).containsEntry("apiKey", keyA);
        assertThat(userInfo(USER_A)).containsEntry("active", true);
        assertThat(ownInfo(keyA)).isEqualTo(200);
        assertThat(tags(arn)).doesNotContainKey("secret-rotator:deactivated:" + USER_A);
        assertThat(LeakCheck.captured()).contains("rollback: re-activated the previous Weaviate user");
    }

    @Test
    void rollback_afterTheSweepDeactivatedThePreviousUser_worksWithANonRootManagementKeyToo() {
        // GIVEN the same, managed by a non-root admin (Weaviate shows it no key letters)
        String arn = alternatingSecret(managerAdminArn);
        String keyA = currentKey(arn);
        rotator.driver.rotate(arn);
        clock.advance(Duration.ofHours(30));
        assertThat(rotator.sweep(arn)).contains("DEACTIVATED");

        // WHEN
        ops.rollback().run(arn);

        // THEN
        assertThat(value(arn, "AWSCURRENT")).containsEntry("userId", USER_A).containsEntry("apiKey", keyA);
        assertThat(ownInfo(keyA)).isEqualTo(200);
    }

    @Test
    void rollback_afterAnEmergency_refuses_andChangesNothing() {
        // GIVEN an emergency rotation revoked app_b's key (app_b is AWSPREVIOUS)
        String arn = alternatingSecret(rootAdminArn);
        rotator.driver.rotate(arn);
        ops.emergency().run(arn);
        Snapshot before = snapshot(arn);

        // WHEN / THEN it refuses to restore a leaked credential
        assertThat(catchThrowable(() -> ops.rollback().run(arn))).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("credential " + USER_B).hasMessageContaining("revoked by an emergency rotation")
                .hasMessageContaining("nothing was changed");
        assertThat(snapshot(arn)).isEqualTo(before);

        // WHEN forced THEN the provider still refuses: the key is revoked for good
        Throwable refused = catchThrowable(() -> ops.rollback().run(arn, Optional.empty(), true));
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining("rollback")
                .hasMessageContaining("user '" + USER_B + "'").hasMessageContaining("revoked")
                .hasMessageContaining("nothing was changed");
        assertThat(snapshot(arn)).isEqualTo(before);
    }

    @Test
    void rollback_afterAnEmergency_withANonRootManagementKey_refuses_andLeavesThePreviousUserDeactivated() {
        // GIVEN the same, managed by a non-root admin: the revoked key shows only once the user is re-activated
        String arn = alternatingSecret(managerAdminArn);
        rotator.driver.rotate(arn);
        ops.emergency().run(arn);
        Snapshot before = snapshot(arn);

        // WHEN / THEN (forced past the emergency's revocation tag, the provider's own check refuses)
        assertThat(catchThrowable(() -> ops.rollback().run(arn, Optional.empty(), true))).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("did not authenticate once re-activated").hasMessageContaining("deactivated again");
        assertThat(snapshot(arn)).isEqualTo(before);
    }

    @Test
    void rollback_whenThePreviousUserWasDeactivatedWithRevokeKey_refuses_andChangesNothing() {
        // GIVEN app_a (previous) deactivated by hand with revoke_key
        String arn = alternatingSecret(rootAdminArn);
        rotator.driver.rotate(arn);
        assertThat(call("POST", "/v1/users/db/" + USER_A + "/deactivate", "{\"revoke_key\":true}", rootKey).statusCode())
                .isEqualTo(200);
        Snapshot before = snapshot(arn);

        // WHEN / THEN
        assertThat(catchThrowable(() -> ops.rollback().run(arn))).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("user '" + USER_A + "'").hasMessageContaining("revoked");
        assertThat(snapshot(arn)).isEqualTo(before);
    }

    @Test
    void rollback_whenThePreviousUsersKeyWasRotatedAway_refuses_andChangesNothing() {
        // GIVEN app_a's key (previous) rotated by hand
        String arn = alternatingSecret(rootAdminArn);
        rotator.driver.rotate(arn);
        String unknownKey = (String) Json.object(call("POST", "/v1/users/db/" + USER_A + "/rotate-key", null, rootKey).body())
                .get("apikey");
        sensitive(unknownKey);
        Snapshot before = snapshot(arn);

        // WHEN / THEN
        assertThat(catchThrowable(() -> ops.rollback().run(arn))).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("user '" + USER_A + "'").hasMessageContaining("rotated away");
        assertThat(snapshot(arn)).isEqualTo(before);
    }

    @Test
    void rollback_ofASingleUserSecret_refuses_becauseRotateKeyRevokedThePreviousKey() {
        // GIVEN
        String arn = singleUserSecret();
        rotator.driver.rotate(arn);
        Snapshot before = snapshot(arn);

        // WHEN / THEN
        assertThat(catchThrowable(() -> ops.rollback().run(arn))).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("single-user").hasMessageContaining("nothing was changed");
        assertThat(snapshot(arn)).isEqualTo(before);
        assertThat(ownInfo(currentKey(arn))).isEqualTo(200);
    }

    // ---- repair ----

    @Test
    void stuckRotation_isDiagnosed_repairedWithApply_withoutTouchingTheCurrentUser_andTheNextRotationSucceeds() {
        // GIVEN app_b current, and a rotation abandoned after createSecret gave app_a a new key
        String arn = alternatingSecret(rootAdminArn);
        rotator.driver.rotate(arn);
        String keyB = currentKey(arn);
        clock.advance(Duration.ofHours(1));
        String token = rotator.driver.startRotation(arn);
        rotator.driver.invoke("createSecret", arn, token);
        Map<String, Object> abandoned = Json.object(rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                .versionStage("AWSPENDING")).secretString());
        String orphan = (String) abandoned.get("apiKey");
        assertThat(abandoned).containsEntry("userId", USER_A);
        assertThat(ownInfo(orphan)).isEqualTo(200);

        // WHEN repair diagnoses it THEN it explains, naming the user, and changes nothing
        Repair.Diagnosis diagnosis = ops.repair().run(arn, false);
        assertThat(diagnosis.stuck()).isTrue();
        assertThat(diagnosis.explanation()).contains(token).contains(USER_A).contains("--apply").doesNotContain(orphan);
        assertThat(rotator.stages(arn).get(token)).containsExactly("AWSPENDING");
        assertThat(server.isKeyValid(orphan)).isTrue();
        assertThat(ops.status().of(arn).lastOutcome()).startsWith("incomplete");

        // WHEN applied THEN the label is gone and the abandoned key dead; app_b untouched
        assertThat(ops.repair().run(arn, true).repaired()).isTrue();
        assertThat(rotator.stages(arn).getOrDefault(token, List.of())).doesNotContain("AWSPENDING");
        assertThat(ownInfo(orphan)).isEqualTo(401);
        assertThat(userInfo(USER_B)).containsEntry("active", true);
        assertThat(ownInfo(keyB)).isEqualTo(200);

        // WHEN the next rotation runs THEN it succeeds: app_a current with a new key, app_b still working
        String next = rotator.driver.rotate(arn).token();
        assertThat(rotator.stages(arn).get(next)).containsExactly("AWSCURRENT");
        Map<String, Object> current = value(arn, "AWSCURRENT");
        assertThat(current).containsEntry("userId", USER_A);
        assertThat(current.get("apiKey")).isNotEqualTo(orphan);
        assertThat(ownInfo((String) current.get("apiKey"))).isEqualTo(200);
        assertThat(ownInfo(orphan)).isEqualTo(401);
        assertThat(ownInfo(keyB)).isEqualTo(200);
        assertThat(ops.repair().run(arn, false).stuck()).isFalse();
    }

    @Test
    void stuckFirstRotation_repairDeactivatesTheNewAlternateUser_andTheNextRotationGivesItTheRoles() {
        // GIVEN the first rotation abandoned after createSecret created app_b
        String arn = alternatingSecret(rootAdminArn);
        String keyA = currentKey(arn);
        String token = rotator.driver.startRotation(arn);
        rotator.driver.invoke("createSecret", arn, token);
        String orphan = (String) Json.object(rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                .versionStage("AWSPENDING")).secretString()).get("apiKey");

        // WHEN
        ops.repair().run(arn, true);

        // THEN app_b's abandoned key is dead, app_a untouched; the next rotation succeeds
        assertThat(ownInfo(orphan)).isEqualTo(401);
        assertThat(ownInfo(keyA)).isEqualTo(200);
        rotator.driver.rotate(arn);
        assertThat(value(arn, "AWSCURRENT")).containsEntry("userId", USER_B);
        assertThat(ownInfo(currentKey(arn))).isEqualTo(200);
        assertThat(userInfo(USER_B).get("roles")).isEqualTo(userInfo(USER_A).get("roles"));
    }

    @Test
    void stuckSingleUserRotation_repairKeepsTheUsersOnlyKey_andTheNextRotationReplacesIt() {
        // GIVEN a single-user rotation abandoned after createSecret rotated the key
        String arn = singleUserSecret();
        String token = rotator.driver.startRotation(arn);
        rotator.driver.invoke("createSecret", arn, token);
        String pending = (String) Json.object(rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                .versionStage("AWSPENDING")).secretString()).get("apiKey");

        // WHEN
        ops.repair().run(arn, true);

        // THEN the user's only working key is not destroyed, and a warning says to rotate now
        assertThat(ownInfo(pending)).isEqualTo(200);
        assertThat(LeakCheck.captured()).contains("rotate now");
        rotator.driver.rotate(arn);
        assertThat(ownInfo(currentKey(arn))).isEqualTo(200);
        assertThat(ownInfo(pending)).isEqualTo(401);
    }

    // ---- status ----

    @Test
    void status_showsBothUsersStates_byUserId_withoutKeys() {
        // GIVEN app_b current, app_a used once then deactivated by the sweep
        String arn = alternatingSecret(rootAdminArn);
        String keyA = currentKey(arn);
        rotator.driver.rotate(arn);
        Instant usedA = clock.instant();
        assertThat(ownInfo(keyA)).isEqualTo(200);
        clock.advance(Duration.ofHours(30));
        rotator.sweep(arn);

        // WHEN
        Status.SecretStatus status = ops.status().of(arn);

        // THEN
        assertThat(status.provider()).isEqualTo("weaviate");
        assertThat(status.lastOutcome()).isEqualTo("succeeded");
        assertThat(status.versions()).hasSize(2);
        Status.VersionStatus current = status.versions().get(0);
        Status.VersionStatus previous = status.versions().get(1);
        assertThat(current.stages()).contains("AWSCURRENT");
        assertThat(current.credentialId()).isEqualTo(USER_B);
        assertThat(current.state()).containsEntry("userId", USER_B).containsEntry("status", "Active")
                .containsEntry("key", "held by this version");
        assertThat(Instant.parse(current.state().get("lastUsedAt"))).isBefore(usedA.plusSeconds(5));
        assertThat(previous.stages()).contains("AWSPREVIOUS");
        assertThat(previous.credentialId()).isEqualTo(USER_A);
        assertThat(previous.state()).containsEntry("userId", USER_A).containsEntry("status", "Inactive");
        assertThat(Instant.parse(previous.state().get("lastUsedAt"))).isBetween(usedA.minusSeconds(1), usedA.plusSeconds(5));
        assertThat(status.retirements()).anyMatch(r -> r.contains(USER_A));
        assertThat(Json.write(status)).doesNotContain(keyA).doesNotContain(currentKey(arn)).doesNotContain(rootKey);
    }

    @Test
    void status_ofASingleUserSecret_showsThePreviousVersionsKeyRotatedAway() {
        String arn = singleUserSecret();
        rotator.driver.rotate(arn);

        Status.SecretStatus status = ops.status().of(arn);

        assertThat(status.versions()).extracting(Status.VersionStatus::credentialId).containsExactly(USER_A, USER_A);
        assertThat(status.versions().get(0).state()).containsEntry("status", "Active").containsEntry("key", "held by this version");
        assertThat(status.versions().get(1).state()).containsEntry("key", "rotated away");
    }

    // ---- helpers ----

    /** What a refused operation must leave alone: labels, tags, both users' states and the keys that work. */
    record Snapshot(Map<String, List<String>> stages, Map<String, String> tags, Map<String, Object> userA,
            Map<String, Object> userB, List<Boolean> keysValid) {}

    Snapshot snapshot(String arn) {
        List<String> keys = rotator.client.listSecretVersionIds(b -> b.secretId(arn)).versions().stream()
                .map(v -> (String) Json.object(rotator.client.getSecretValue(b -> b.secretId(arn).versionId(v.versionId()))
                        .secretString()).get("apiKey")).toList();
        return new Snapshot(rotator.stages(arn), tags(arn), userInfo(USER_A), userInfo(USER_B),
                keys.stream().map(server::isKeyValid).toList());
    }

    String alternatingSecret(String adminArn) {
        Map<String, Object> fields = base(adminArn);
        fields.put("alternateUserId", USER_B);
        return rotator.createSecret("weaviate/ops-" + java.util.UUID.randomUUID(), Json.write(fields));
    }

    String singleUserSecret() {
        Map<String, Object> fields = base(rootAdminArn);
        fields.put("strategy", "single-user");
        return rotator.createSecret("weaviate/single-" + java.util.UUID.randomUUID(), Json.write(fields));
    }

    private Map<String, Object> base(String adminArn) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("provider", "weaviate");
        fields.put("endpoint", server.baseUrl());
        fields.put("userId", USER_A);
        fields.put("apiKey", sensitive(server.createDbUser(USER_A, "reader", "viewer")));
        fields.put("adminSecretArn", adminArn);
        fields.put("retirement", Map.of("quietPeriod", "PT1S"));
        fields.put("verification", Map.of("timeout", "PT10S"));
        return fields;
    }

    Map<String, Object> value(String arn, String stage) {
        return Json.object(rotator.value(arn, stage));
    }

    String currentKey(String arn) {
        return (String) value(arn, "AWSCURRENT").get("apiKey");
    }

    String version(String arn, String stage) {
        return rotator.stages(arn).entrySet().stream().filter(e -> e.getValue().contains(stage))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    Map<String, String> tags(String arn) {
        Map<String, String> tags = new LinkedHashMap<>();
        rotator.client.describeSecret(b -> b.secretId(arn)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    /** {@code GET /v1/users/own-info} with the key: its status. A use of the key. */
    int ownInfo(String key) {
        return call("GET", "/v1/users/own-info", null, key).statusCode();
    }

    /** {@code DBUserInfo} as the root user sees it (with {@code apiKeyFirstLetters}), or the status. */
    Map<String, Object> userInfo(String id) {
        HttpResponse<String> r = call("GET", "/v1/users/db/" + id + "?includeLastUsedTime=true", null, rootKey);
        return r.statusCode() == 200 ? Json.object(r.body()) : Map.of("status", r.statusCode());
    }

    HttpResponse<String> call(String method, String path, String body, String key) {
        return WeaviateCalls.send(http, server.baseUrl(), method, path, body, key);
    }

    static String sensitive(String key) {
        LeakCheck.sensitive(key);
        return key;
    }

    static String randomKey() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
