package dev.secretrotator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.IamAdmin;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.TestRotator;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.iam.IamClients;
import dev.secretrotator.provider.iam.SdkIamClients;
import dev.secretrotator.telemetry.EventBridgeEvents;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.AwsFaults;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sts.StsClient;

/** Issue 7 against moto: events, rollback, emergency, repair, status, for random-password and aws-iam. */
@ExtendWith({Moto.class, LeakCheck.class})
class OperationsIT {
    static final String USER = "ops-user";

    MotoServer moto;
    EventQueue queue;
    IamClient iam;
    MutableClock clock = new MutableClock();
    TestRotator rotator;
    Operations ops;

    @BeforeEach
    void setUp(MotoServer moto) {
        this.moto = moto;
        queue = new EventQueue(moto);
        iam = moto.configure(IamClient.builder()).build();
        iam.createUser(b -> b.userName(USER));
        SdkIamClients iamClients = new SdkIamClients(b -> moto.configure(b), b -> moto.configure(b));
        Telemetry telemetry = Telemetry.stdout();
        rotator = new TestRotator(moto, Map.of(), ProviderServices.builder().clock(clock)
                .client(IamClients.class, () -> iamClients)
                .client(RotationEvents.class, () -> new EventBridgeEvents(queue.events, "default", telemetry)));
        ops = Components.of(ProviderServices.builder().clock(clock).telemetry(telemetry)
                .client(SecretsManagerClient.class, () -> rotator.client)
                .client(IamClients.class, () -> iamClients)
                .client(RotationEvents.class, () -> new EventBridgeEvents(queue.events, "default", telemetry)).build()).operations();
    }

    @Test
    void rotation_putsASecretRotatedEvent_withIdsButNoValue() {
        // GIVEN an IAM secret
        String arn = iamSecret();

        // WHEN it rotates
        String token = rotator.driver.rotate(arn).token();

        // THEN one "Secret Rotated" event names the secret, version, provider and key id
        List<Map<String, Object>> events = queue.drain();
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).containsEntry("source", "secret-rotator").containsEntry("detail-type", "Secret Rotated");
        Map<String, Object> current = Json.object(rotator.value(arn, "AWSCURRENT"));
        assertThat(events.get(0).get("detail")).isEqualTo(Map.of("secretArn", arn, "versionId", token,
                "provider", "aws-iam", "credentialId", current.get("accessKeyId")));
        assertThat(events.get(0).toString()).doesNotContain((String) current.get("secretAccessKey"));
    }

    @Test
    void rollback_afterARotation_restoresTheDeactivatedPreviousKey_andItWorks() {
        // GIVEN a rotation whose previous key the sweep has deactivated
        String arn = iamSecret();
        String first = currentVersion(arn);
        String firstKey = (String) Json.object(rotator.value(arn, "AWSCURRENT")).get("accessKeyId");
        rotator.driver.rotate(arn);
        clock.advance(Duration.ofHours(30));
        assertThat(rotator.sweep(arn)).contains("DEACTIVATED");
        queue.drain();

        // WHEN the team rolls back
        String restored = ops.rollback().run(arn);

        // THEN the first version is current again, its key active and working, and an event says so
        assertThat(restored).isEqualTo(first);
        assertThat(rotator.stages(arn).get(first)).contains("AWSCURRENT");
        assertThat(keyStatus(firstKey)).isEqualTo(StatusType.ACTIVE);
        assertThat(authenticates(Json.object(rotator.value(arn, "AWSCURRENT")))).isTrue();
        assertThat(queue.drain()).extracting(e -> e.get("detail-type")).containsExactly("Secret Rolled Back");
    }

    @Test
    void rollback_whenThePreviousKeyIsGone_refuses_andChangesNothing() {
        // GIVEN a rotation whose previous key was deleted
        String arn = iamSecret();
        String firstKey = (String) Json.object(rotator.value(arn, "AWSCURRENT")).get("accessKeyId");
        rotator.driver.rotate(arn);
        iam.deleteAccessKey(b -> b.userName(USER).accessKeyId(firstKey));
        Map<String, List<String>> before = rotator.stages(arn);

        // WHEN / THEN
        Throwable refused = catchThrowable(() -> ops.rollback().run(arn));
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining(firstKey)
                .hasMessageContaining("was deleted").hasMessageContaining("rollback");
        assertThat(rotator.stages(arn)).isEqualTo(before);
    }

    @Test
    void automaticRollback_actsOnlyWithinItsWindowAfterARotation() {
        // GIVEN a rotation two hours ago
        String arn = rotator.createSecret("ops/auto", "{\"provider\":\"random-password\",\"password\":\"first-password\"}");
        rotator.driver.rotate(arn);
        clock.advance(Duration.ofHours(2));
        String event = "{\"action\":\"rollback\",\"secretId\":\"" + arn + "\",\"window\":\"%s\"}";

        // WHEN the consumers' auth-failure alarm invokes rollback with a one-hour window THEN it declines, with the reason
        assertThat(rotator.driver.invokeRaw(event.formatted("PT1H")))
                .contains("refused").contains("outside the automatic rollback window of PT1H");
        assertThat(Json.object(rotator.value(arn, "AWSCURRENT"))).doesNotContainEntry("password", "first-password");

        // WHEN the window covers the rotation THEN it rolls back
        assertThat(rotator.driver.invokeRaw(event.formatted("PT3H"))).contains("currentVersion");
        assertThat(Json.object(rotator.value(arn, "AWSCURRENT"))).containsEntry("password", "first-password");
    }

    @Test
    void rollback_withoutAPreviousVersion_refuses() {
        String arn = rotator.createSecret("ops/fresh", "{\"provider\":\"random-password\",\"password\":\"first-password\"}");

        assertThat(catchThrowable(() -> ops.rollback().run(arn))).hasMessageContaining("no AWSPREVIOUS version");
    }

    @Test
    void rollback_ofARandomPassword_putsTheOldValueBack() {
        String arn = rotator.createSecret("ops/pw", "{\"provider\":\"random-password\",\"password\":\"first-password\"}");
        rotator.driver.rotate(arn);

        ops.rollback().run(arn);

        assertThat(Json.object(rotator.value(arn, "AWSCURRENT"))).containsEntry("password", "first-password");
        assertThat(rotator.stages(arn).values()).anyMatch(s -> s.contains("AWSPREVIOUS"));
    }

    @Test
    void randomPassword_emergencyRepairAndStatus_work() {
        // GIVEN a random-password secret rotated once, then a rotation abandoned after createSecret
        String arn = rotator.createSecret("ops/pw-ops", "{\"provider\":\"random-password\",\"password\":\"first-password\"}");
        rotator.driver.rotate(arn);
        String stuck = rotator.driver.startRotation(arn);
        rotator.driver.invoke("createSecret", arn, stuck);

        // WHEN / THEN status reports the incomplete rotation, and repair clears it
        assertThat(ops.status().of(arn).lastOutcome()).startsWith("incomplete");
        assertThat(ops.repair().run(arn, true).repaired()).isTrue();
        assertThat(ops.status().of(arn).lastOutcome()).isEqualTo("succeeded");

        // WHEN an emergency rotation runs THEN a new password is current and an event says so
        String before = (String) Json.object(rotator.value(arn, "AWSCURRENT")).get("password");
        queue.drain();
        Map<String, Object> result = ops.emergency().run(arn);
        assertThat(Json.object(rotator.value(arn, "AWSCURRENT")).get("password")).isNotEqualTo(before);
        assertThat(rotator.stages(arn).get((String) result.get("versionId"))).containsExactly("AWSCURRENT");
        assertThat(queue.drain()).extracting(e -> e.get("detail-type")).contains("Secret Rotated", "Emergency Rotation");
    }

    @Test
    void emergency_rotatesAndRevokesTheLeakedKeyAtOnce() {
        // GIVEN a secret rotated once (two keys: current and previous)
        String arn = iamSecret();
        rotator.driver.rotate(arn);
        Map<String, Object> leaked = Json.object(rotator.value(arn, "AWSCURRENT"));
        queue.drain();

        // WHEN the current key leaks and the team runs an emergency rotation
        Map<String, Object> result = ops.emergency().run(arn);

        // THEN a new key is current and works, and both older keys are gone (moto rejects the leaked one)
        Map<String, Object> current = Json.object(rotator.value(arn, "AWSCURRENT"));
        assertThat(current.get("accessKeyId")).isNotEqualTo(leaked.get("accessKeyId"));
        assertThat(authenticates(current)).isTrue();
        assertThat(iam.listAccessKeys(b -> b.userName(USER)).accessKeyMetadata()).extracting(k -> k.accessKeyId())
                .containsExactly((String) current.get("accessKeyId"));
        moto.enforceAuthentication();
        assertThat(authenticates(leaked)).isFalse();
        moto.relaxAuthentication();
        assertThat(result.get("revoked").toString()).contains("REVOKED").contains((String) leaked.get("accessKeyId"));
        assertThat(queue.drain()).extracting(e -> e.get("detail-type")).contains("Secret Rotated", "Emergency Rotation");
        assertThat(LeakCheck.captured()).contains("EMERGENCY rotation started").contains("\"EmergencyRotation\":1.0");
    }

    @Test
    void emergency_whileAnotherRotationHoldsAwsPending_refusesBeforeRevokingAnything() {
        // GIVEN a secret rotated once (its previous key still in its grace period), then a rotation left stuck
        String arn = iamSecret();
        String previousKey = (String) Json.object(rotator.value(arn, "AWSCURRENT")).get("accessKeyId");
        rotator.driver.rotate(arn);
        rotator.driver.startRotation(arn);

        // WHEN an emergency rotation is asked for
        Throwable refused = catchThrowable(() -> ops.emergency().run(arn));

        // THEN it says to repair first, and the previous key was not revoked on the way
        assertThat(refused).hasMessageContaining("holds AWSPENDING").hasMessageContaining("nothing was revoked")
                .hasMessageContaining("repair");
        assertThat(keyStatus(previousKey)).isEqualTo(StatusType.ACTIVE);
    }

    @Test
    void emergency_whenTheUsersOtherKeyIsNotThePreviousOne_deletesItToMakeRoom_andRotates() {
        // GIVEN an IAM secret (no previous version) whose user also holds a legacy key made by hand
        String arn = iamSecret();
        rotator.driver.enableRotation(arn);
        AccessKey legacy = iam.createAccessKey(b -> b.userName(USER)).accessKey();
        LeakCheck.sensitive(legacy.secretAccessKey());
        clock.advance(Duration.ofHours(1));
        Map<String, Object> leaked = Json.object(rotator.value(arn, "AWSCURRENT"));

        // WHEN the current key leaks and the team runs an emergency rotation through the handler
        rotator.driver.invokeRaw(Json.write(Map.of("action", "emergency", "secretId", arn)));

        // THEN the legacy key was deleted to make room (loudly, with its id), a new key is current,
        // and the leaked key is revoked
        Map<String, Object> current = Json.object(rotator.value(arn, "AWSCURRENT"));
        assertThat(current.get("accessKeyId")).isNotEqualTo(leaked.get("accessKeyId"));
        assertThat(authenticates(current)).isTrue();
        assertThat(keyIds()).containsExactly((String) current.get("accessKeyId"));
        assertThat(LeakCheck.captured()).contains("EMERGENCY: access key " + legacy.accessKeyId())
                .contains("deleted at once to make room for the emergency rotation");
    }

    @Test
    void stuckRotation_isDiagnosed_repairedWithApply_andTheNextRotationSucceeds() {
        // GIVEN a rotation abandoned after createSecret made a key (the service gave up)
        String arn = iamSecret();
        String token = rotator.driver.startRotation(arn);
        rotator.driver.invoke("createSecret", arn, token);
        String orphan = (String) Json.object(rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                .versionStage("AWSPENDING")).secretString()).get("accessKeyId");
        // (the real service now refuses every RotateSecret; moto 5.2.1 does not, so that is not asserted here)

        // WHEN repair diagnoses it THEN it explains and changes nothing
        Repair.Diagnosis diagnosis = ops.repair().run(arn, false);
        assertThat(diagnosis.stuck()).isTrue();
        assertThat(diagnosis.explanation()).contains(token).contains(orphan).contains("--apply");
        assertThat(rotator.stages(arn).get(token)).containsExactly("AWSPENDING");

        // WHEN applied THEN the label and the orphan key are gone, and a normal rotation succeeds
        assertThat(ops.repair().run(arn, true).repaired()).isTrue();
        assertThat(rotator.stages(arn).getOrDefault(token, List.of())).doesNotContain("AWSPENDING");
        assertThat(iam.listAccessKeys(b -> b.userName(USER)).accessKeyMetadata()).noneMatch(k -> k.accessKeyId().equals(orphan));
        String next = rotator.driver.rotate(arn).token();
        assertThat(rotator.stages(arn).get(next)).containsExactly("AWSCURRENT");
        assertThat(ops.repair().run(arn, false).stuck()).isFalse();
    }

    @Test
    void status_showsVersionsLabelsCredentialStatesAndRetirements() {
        // GIVEN a rotated IAM secret whose previous key was deactivated
        String arn = iamSecret();
        rotator.driver.rotate(arn);
        clock.advance(Duration.ofHours(30));
        rotator.sweep(arn);

        // WHEN
        Status.SecretStatus status = ops.status().of(arn);

        // THEN
        assertThat(status.provider()).isEqualTo("aws-iam");
        assertThat(status.lastOutcome()).isEqualTo("succeeded");
        assertThat(status.versions()).hasSize(2);
        assertThat(status.versions().get(0).stages()).contains("AWSCURRENT");
        assertThat(status.versions().get(0).state()).containsEntry("status", "Active");
        assertThat(status.versions().get(1).stages()).contains("AWSPREVIOUS");
        assertThat(status.versions().get(1).state()).containsEntry("status", "Inactive");
        assertThat(status.retirements()).anyMatch(r -> r.contains(status.versions().get(1).credentialId()) && r.contains("deleted after"));
        assertThat(Json.write(status)).doesNotContain("secretAccessKey");
    }

    @Test
    void sweep_putsACredentialRetiredEvent() {
        String arn = iamSecret();
        rotator.driver.rotate(arn);
        queue.drain();
        clock.advance(Duration.ofHours(30));

        rotator.sweep(arn);

        assertThat(queue.drain()).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("detail-type", "Credential Retired");
            assertThat(e.get("detail").toString()).contains("DEACTIVATED");
        });
    }

    // ---- issue 13 item 3: the work after the cutover happens at least once ----

    @Test
    void finishSecret_failingAfterTheCutover_isRetried_andTheRotatedEventIsPublished() {
        // GIVEN an IAM secret whose finishSecret moves AWSCURRENT, then fails (throttled right after the move)
        String arn = iamSecret();
        rotator.faults.fail("updateSecretVersionStage", 1, FaultInjector.When.AFTER_CALL, () -> AwsFaults.of(
                AwsFaults.Kind.THROTTLING, SecretsManagerException::builder, "SecretsManager", "ThrottlingException"));

        // WHEN Secrets Manager rotates it and retries the failed attempt with the same token
        ServiceDriver.Result result = rotator.driver.rotate(arn);

        // THEN it took two attempts, and the "Secret Rotated" event for the new key is out all the same
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(rotator.stages(arn).get(result.token())).containsExactly("AWSCURRENT");
        Map<String, Object> current = Json.object(rotator.value(arn, "AWSCURRENT"));
        assertThat(queue.drain()).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("detail-type", "Secret Rotated");
            assertThat(e.get("detail")).isEqualTo(Map.of("secretArn", arn, "versionId", result.token(),
                    "provider", "aws-iam", "credentialId", current.get("accessKeyId")));
        });
    }

    // ---- issue 13 item 4: retirement counts from when this function first saw the current version ----

    @Test
    void sweep_rightAfterAManualPutOfANewCurrentVersion_retiresNothing_recordsTheFirstSighting_andIsNeverRolledBackAutomatically() {
        // GIVEN a rotation long ago (its grace period over), then a key put in by hand just now
        String arn = iamSecret();
        String firstKey = (String) Json.object(rotator.value(arn, "AWSCURRENT")).get("accessKeyId");
        rotator.driver.rotate(arn);
        String secondKey = (String) Json.object(rotator.value(arn, "AWSCURRENT")).get("accessKeyId");
        clock.advance(Duration.ofHours(30));
        iam.deleteAccessKey(b -> b.userName(USER).accessKeyId(firstKey));
        AccessKey manual = iam.createAccessKey(b -> b.userName(USER)).accessKey();
        String rotated = currentVersion(arn);
        String manualVersion = rotator.client.putSecretValue(b -> b.secretId(arn).versionStages("by-hand")
                .secretString(Json.write(Map.of("provider", "aws-iam", "userName", USER, "accessKeyId", manual.accessKeyId(),
                        "secretAccessKey", manual.secretAccessKey())))).versionId();
        // labels moved as the service's PutSecretValue moves them (moto's put takes AWSPREVIOUS from a stale version)
        rotator.client.updateSecretVersionStage(b -> b.secretId(arn).versionStage("AWSCURRENT")
                .moveToVersionId(manualVersion).removeFromVersionId(rotated));
        rotator.client.updateSecretVersionStage(b -> b.secretId(arn).versionStage("by-hand").removeFromVersionId(manualVersion));

        // WHEN the sweep runs right after
        java.time.Instant sweptFrom = clock.instant();
        String report = rotator.sweep(arn);
        java.time.Instant sweptTo = clock.instant();

        // THEN the key that was current until now keeps its whole grace period, counted from now
        assertThat(report).doesNotContain("DEACTIVATED").contains("WAITING");
        assertThat(keyStatus(secondKey)).isEqualTo(StatusType.ACTIVE);
        String firstSeen = tags(arn).get("secret-rotator:first-seen");
        assertThat(firstSeen).startsWith(manualVersion + " ");
        assertThat(java.time.Instant.parse(firstSeen.substring(manualVersion.length() + 1))).isBetween(sweptFrom, sweptTo);
        assertThat(tags(arn).get("secret-rotator:cutover")).doesNotStartWith(manualVersion);

        // AND an alarm-driven rollback right after leaves the key put in by hand alone
        String auto = "{\"action\":\"rollback\",\"secretId\":\"" + arn + "\",\"window\":\"PT2H\"}";
        assertThat(rotator.driver.invokeRaw(auto)).contains("refused")
                .contains("did not record when the current version took over");
        assertThat(currentVersion(arn)).isEqualTo(manualVersion);

        // WHEN the grace period passes from then THEN it is deactivated
        clock.advance(Duration.ofHours(30));
        assertThat(rotator.sweep(arn)).contains("DEACTIVATED");
        assertThat(keyStatus(secondKey)).isEqualTo(StatusType.INACTIVE);
    }

    // ---- issue 13 item 9: no emulator logic in production code ----

    @Test
    void emergency_whenRotationIsOff_saysSo_andChangesNothing() {
        // GIVEN an IAM secret whose rotation was never turned on
        String arn = iamSecret();
        Map<String, List<String>> stages = rotator.stages(arn);
        List<String> keys = keyIds();

        // WHEN / THEN the emergency refuses, saying how to turn rotation on
        Throwable refused = catchThrowable(() -> ops.emergency().run(arn));
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining("rotation is not enabled")
                .hasMessageContaining(arn).hasMessageContaining("rotate-secret").hasMessageContaining("Nothing was changed");
        assertThat(rotator.stages(arn)).isEqualTo(stages);
        assertThat(keyIds()).isEqualTo(keys);
        assertThat(rotator.client.describeSecret(b -> b.secretId(arn)).rotationEnabled()).isNotEqualTo(Boolean.TRUE);
        assertThat(tags(arn)).isEmpty();
    }

    @Test
    void rollback_toACredentialAnEmergencyRevoked_isRefused_unlessForced() {
        // GIVEN an emergency rotation of a password that leaked
        String arn = rotator.createSecret("ops/leaked", "{\"provider\":\"random-password\",\"password\":\"leaked-password\"}");
        rotator.driver.enableRotation(arn);
        rotator.driver.invokeRaw(Json.write(Map.of("action", "emergency", "secretId", arn)));
        Map<String, List<String>> stages = rotator.stages(arn);

        // WHEN the team rolls back THEN it is refused: that would restore the leaked password
        Throwable refused = catchThrowable(() -> rotator.driver.invokeRaw(Json.write(Map.of("action", "rollback", "secretId", arn))));
        assertThat(refused).hasMessageContaining("revoked by an emergency rotation").hasMessageContaining("leaked")
                .hasMessageContaining("force");
        assertThat(rotator.stages(arn)).isEqualTo(stages);

        // WHEN forced THEN it rolls back, with a loud warning
        rotator.driver.invokeRaw(Json.write(Map.of("action", "rollback", "secretId", arn, "force", true)));
        assertThat(Json.object(rotator.value(arn, "AWSCURRENT"))).containsEntry("password", "leaked-password");
        assertThat(LeakCheck.captured()).contains("FORCED rollback restores a credential an emergency rotation revoked");
    }

    private List<String> keyIds() {
        return iam.listAccessKeys(b -> b.userName(USER)).accessKeyMetadata().stream().map(k -> k.accessKeyId()).sorted().toList();
    }

    private Map<String, String> tags(String arn) {
        Map<String, String> tags = new java.util.TreeMap<>();
        rotator.client.describeSecret(b -> b.secretId(arn)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private String iamSecret() {
        AccessKey key = iam.createAccessKey(b -> b.userName(USER)).accessKey();
        String name = "ops/" + java.util.UUID.randomUUID();
        IamAdmin.bind(iam, USER, name); // by name: the tag may name the secret or give its ARN
        return rotator.createSecret(name, Json.write(Map.of("provider", "aws-iam",
                "userName", USER, "accessKeyId", key.accessKeyId(), "secretAccessKey", key.secretAccessKey())));
    }

    private String currentVersion(String arn) {
        return rotator.stages(arn).entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private StatusType keyStatus(String id) {
        return iam.listAccessKeys(b -> b.userName(USER)).accessKeyMetadata().stream()
                .filter(k -> k.accessKeyId().equals(id)).findFirst().orElseThrow().status();
    }

    private boolean authenticates(Map<String, Object> secret) {
        try (StsClient sts = moto.configure(StsClient.builder(), software.amazon.awssdk.auth.credentials.AwsBasicCredentials
                .create((String) secret.get("accessKeyId"), (String) secret.get("secretAccessKey"))).build()) {
            return sts.getCallerIdentity().arn().endsWith("/" + USER);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
