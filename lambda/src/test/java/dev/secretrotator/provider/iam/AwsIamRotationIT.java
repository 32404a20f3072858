package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.secretsmanager.caching.SecretCache;
import com.amazonaws.secretsmanager.caching.SecretCacheConfiguration;
import dev.secretrotator.StaleCredentialException;
import dev.secretrotator.VerificationException;
import dev.secretrotator.testing.ConsumerFleet;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Issue 3 against moto with request authentication switched on. */
@ExtendWith({Moto.class, LeakCheck.class})
class AwsIamRotationIT {

    @Test
    void rotation_newKeyAuthenticates_oldKeyStillDoes_andSitsInPrevious(MotoServer moto) {
        // GIVEN a secret holding the user's first key
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, "{}");
        Map<String, Object> before = Json.object(world.rotator.value(arn, "AWSCURRENT"));

        // WHEN it rotates
        world.rotator.driver.rotate(arn);

        // THEN both keys authenticate, the old one in AWSPREVIOUS, never more than two keys
        Map<String, Object> current = Json.object(world.rotator.value(arn, "AWSCURRENT"));
        Map<String, Object> previous = Json.object(world.rotator.value(arn, "AWSPREVIOUS"));
        assertThat(current.get("accessKeyId")).isNotEqualTo(before.get("accessKeyId"));
        assertThat(previous.get("accessKeyId")).isEqualTo(before.get("accessKeyId"));
        assertThat(world.authenticates((String) current.get("accessKeyId"), (String) current.get("secretAccessKey"))).isTrue();
        assertThat(world.authenticates((String) previous.get("accessKeyId"), (String) previous.get("secretAccessKey"))).isTrue();
        assertThat(world.keys()).hasSize(2).allMatch(k -> k.status() == StatusType.ACTIVE);
        assertThat(current).containsEntry("team", "platform");
    }

    @Test
    void secretWithOnlyAUserName_isBootstrappedByItsFirstRotation(MotoServer moto) {
        // GIVEN a secret that names the user and nothing else
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = world.secret("iam/bootstrap", "{\"provider\":\"aws-iam\",\"userName\":\"" + IamWorld.USER + "\"}");

        // WHEN it rotates
        world.rotator.driver.rotate(arn);

        // THEN it holds a working key
        Map<String, Object> current = Json.object(world.rotator.value(arn, "AWSCURRENT"));
        assertThat(world.authenticates((String) current.get("accessKeyId"), (String) current.get("secretAccessKey"))).isTrue();
        assertThat(world.keys()).hasSize(1);
    }

    @Test
    void consumerStillUsingThePreviousKey_blocksTheNextRotation_untilItStops(MotoServer moto) throws Exception {
        // GIVEN a rotated secret and a consumer that keeps using the previous key
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, "{\"retirement\":{\"gracePeriod\":\"PT0S\",\"quietPeriod\":\"PT2S\",\"deleteAfter\":\"PT0S\"}}");
        world.rotator.driver.rotate(arn);
        Map<String, Object> previous = Json.object(world.rotator.value(arn, "AWSPREVIOUS"));
        String previousId = (String) previous.get("accessKeyId");
        assertThat(world.authenticates(previousId, (String) previous.get("secretAccessKey"))).isTrue();

        // WHEN the next rotation starts
        String token = world.rotator.driver.startRotation(arn);
        Throwable refused = catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token));

        // THEN createSecret refuses naming the key, and nothing was deleted or created
        assertThat(refused).isInstanceOf(StaleCredentialException.class).hasMessageContaining(previousId)
                .hasMessageContaining("last used").hasMessageContaining("emergency rotation");
        assertThat(world.keys()).hasSize(2);
        assertThat(LeakCheck.captured()).contains("\"StaleCredentialInUse\":1.0");

        // AND once the consumer stops and the quiet period passes, the retried rotation deactivates the key,
        // deletes it (no hold configured) and succeeds
        Thread.sleep(2_100);
        world.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
        assertThat(world.rotator.stages(arn).get(token)).containsExactly("AWSCURRENT");
        assertThat(world.keys()).hasSize(2).noneMatch(k -> k.accessKeyId().equals(previousId));
    }

    @Test
    void sweep_deactivatesAfterGrace_andDeletesAfterTheHold_notBefore(MotoServer moto) {
        // GIVEN a rotated secret with the default timings (grace 24 h, quiet 4 h, delete after 48 h)
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, "{}");
        world.rotator.driver.rotate(arn);
        Map<String, Object> previous = Json.object(world.rotator.value(arn, "AWSPREVIOUS"));
        String id = (String) previous.get("accessKeyId");

        // WHEN the sweep runs during the grace period THEN nothing changes
        assertThat(world.rotator.sweep(arn)).contains("\"action\":\"WAITING\"");
        assertThat(status(world, id)).isEqualTo(StatusType.ACTIVE);

        // WHEN it runs after the grace period (the key unused for longer than the quiet period) THEN it deactivates
        world.clock.advance(Duration.ofHours(25));
        assertThat(world.rotator.sweep(arn)).contains("\"action\":\"DEACTIVATED\"").contains(id);
        assertThat(status(world, id)).isEqualTo(StatusType.INACTIVE);

        // WHEN it runs during the hold THEN the key stays, inactive
        world.clock.advance(Duration.ofHours(47));
        assertThat(world.rotator.sweep(arn)).contains("\"action\":\"WAITING\"");
        assertThat(status(world, id)).isEqualTo(StatusType.INACTIVE);

        // WHEN it runs after the hold THEN the key is deleted, and moto rejects it
        world.clock.advance(Duration.ofHours(2));
        assertThat(world.rotator.sweep(arn)).contains("\"action\":\"DELETED\"");
        assertThat(world.keys()).hasSize(1).noneMatch(k -> k.accessKeyId().equals(id));
        assertThat(world.authenticates(id, (String) previous.get("secretAccessKey"))).isFalse();
        Map<String, Object> current = Json.object(world.rotator.value(arn, "AWSCURRENT"));
        assertThat(world.authenticates((String) current.get("accessKeyId"), (String) current.get("secretAccessKey"))).isTrue();
    }

    @Test
    void sweep_keepsAPreviousKeyStillInUse_andReportsIt(MotoServer moto) {
        // GIVEN a previous key used a moment ago, and the grace period over
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, "{\"retirement\":{\"gracePeriod\":\"PT0S\",\"quietPeriod\":\"PT1H\"}}");
        world.rotator.driver.rotate(arn);
        Map<String, Object> previous = Json.object(world.rotator.value(arn, "AWSPREVIOUS"));
        assertThat(world.authenticates((String) previous.get("accessKeyId"), (String) previous.get("secretAccessKey"))).isTrue();

        // WHEN the sweep runs
        String report = world.rotator.sweep(arn);

        // THEN the key stays active, the report and the metric say why
        assertThat(report).contains("\"action\":\"STILL_IN_USE\"").contains("quiet period");
        assertThat(status(world, (String) previous.get("accessKeyId"))).isEqualTo(StatusType.ACTIVE);
        assertThat(LeakCheck.captured()).contains("\"StaleCredentialInUse\":1.0");
    }

    @Test
    void pendingKeyThatCannotWork_failsTestSecretWithinItsTimeout_andCurrentKeepsWorking(MotoServer moto) {
        // GIVEN createSecret ran, then the new key was deleted behind the function's back
        IamWorld world = new IamWorld(moto, Map.of("ROTATOR_VERIFY_TIMEOUT", "PT3S"));
        String arn = secretWithNewKey(world, "{}");
        String token = world.rotator.driver.startRotation(arn);
        world.rotator.driver.invoke("createSecret", arn, token);
        String pendingId = (String) Json.object(world.rotator.client.getSecretValue(b -> b.secretId(arn)
                .versionId(token).versionStage("AWSPENDING")).secretString()).get("accessKeyId");
        world.iam.deleteAccessKey(b -> b.userName(IamWorld.USER).accessKeyId(pendingId));

        // WHEN testSecret runs
        long t0 = System.nanoTime();
        Throwable failed = catchThrowable(() -> world.rotator.driver.invoke("testSecret", arn, token));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // THEN it fails within its timeout (plus one poll), and AWSCURRENT still authenticates
        assertThat(failed).isInstanceOf(VerificationException.class).hasMessageContaining(pendingId)
                .hasMessageContaining("AWSCURRENT is unchanged");
        assertThat(millis).isLessThan(6_000);
        Map<String, Object> current = Json.object(world.rotator.value(arn, "AWSCURRENT"));
        assertThat(current.get("accessKeyId")).isNotEqualTo(pendingId);
        assertThat(world.authenticates((String) current.get("accessKeyId"), (String) current.get("secretAccessKey"))).isTrue();
    }

    @Test
    void consumerFleet_through20Rotations_withSweeps_hasNoFailedCall(MotoServer moto) throws Exception {
        // GIVEN consumers reading the secret through AWS's caching client (100 ms refresh)
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, "{\"retirement\":{\"gracePeriod\":\"PT1S\",\"quietPeriod\":\"PT1S\",\"deleteAfter\":\"PT0S\"}}");
        SecretsManagerClient reader = moto.configure(SecretsManagerClient.builder(), world.admin).build();
        Map<String, StsClient> stsByKey = new ConcurrentHashMap<>();
        int maxKeys = 0;
        try (SecretCache cache = new SecretCache(new SecretCacheConfiguration().withClient(reader).withCacheItemTTL(100));
             ConsumerFleet fleet = new ConsumerFleet(4, 20, () -> cache.getSecretString(arn),
                     json -> callAs(moto, stsByKey, Json.object(json)))) {

            // WHEN 20 rotations run back to back, with sweeps between them
            for (int i = 0; i < 20; i++) {
                Thread.sleep(1_200);
                world.rotator.sweep(arn);
                Thread.sleep(1_100);
                world.rotator.sweep(arn);
                world.rotator.driver.rotate(arn);
                maxKeys = Math.max(maxKeys, world.keys().size());
            }
            Thread.sleep(300);
            fleet.close();

            // THEN no consumer call failed, and the user never had more than two keys
            System.out.printf("aws-iam consumer fleet: 20 rotations, %d calls, %d failed%n", fleet.calls(), fleet.failures());
            assertThat(fleet.calls()).isGreaterThan(500);
            assertThat(fleet.failures()).as("failed calls: %s", fleet.failureNotes()).isZero();
            assertThat(maxKeys).isLessThanOrEqualTo(2);
        } finally {
            stsByKey.values().forEach(StsClient::close);
        }
    }

    @Test
    void failureAtEachIamAndStsCall_thenServiceRetry_completesWithoutOrphans(MotoServer moto) throws Exception {
        String[][] points = {{"iam", "listAccessKeys"}, {"iam", "createAccessKey"}, {"iam", "deleteAccessKey"},
                {"iam", "getAccessKeyLastUsed"}, {"iam", "updateAccessKey"}, {"iam", "listUserTags"}, {"sts", "getCallerIdentity"}};
        for (String[] point : points) {
            for (var when : dev.secretrotator.testing.FaultInjector.When.values()) {
                moto.relaxAuthentication();
                moto.reset();
                failAndRetry(moto, point[0], point[1], when);
            }
        }
    }

    private void failAndRetry(MotoServer moto, String service, String call, dev.secretrotator.testing.FaultInjector.When when)
            throws Exception {
        // GIVEN a rotated secret (so the next rotation must deactivate, then with no hold delete, the previous key)
        // and a consumer of AWSCURRENT
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, "{\"retirement\":{\"gracePeriod\":\"PT0S\",\"quietPeriod\":\"PT0S\",\"deleteAfter\":\"PT0S\"}}");
        world.rotator.driver.rotate(arn);
        // the next call fails (the first rotation made some calls already; counts are per client)
        dev.secretrotator.testing.FaultInjector faults = service.equals("iam") ? world.iamFaults : world.stsFaults;
        int nth = faults.calls(call) + 1;
        faults.fail(call, nth, when,
                () -> software.amazon.awssdk.core.exception.SdkClientException.create("injected: connection reset"));
        Map<String, StsClient> stsByKey = new ConcurrentHashMap<>();
        try (ConsumerFleet fleet = new ConsumerFleet(2, 10, () -> world.rotator.value(arn, "AWSCURRENT"),
                json -> callAs(moto, stsByKey, Json.object(json)))) {

            // WHEN the call fails once during the rotation and the service retries
            ServiceDriver.Result result = world.rotator.driver.rotate(arn);
            fleet.close();

            // THEN the fault struck, the rotation completed, AWSCURRENT worked throughout,
            // and no orphan key is left
            String label = service + "." + call + " " + when;
            assertThat(faults.calls(call)).as(label + ": the fault struck").isGreaterThanOrEqualTo(nth);
            System.out.printf("fault %s: %d attempts, %d consumer calls, %d failed%n", label, result.attempts(), fleet.calls(), fleet.failures());
            assertThat(world.rotator.stages(arn).get(result.token())).as(label).containsExactly("AWSCURRENT");
            assertThat(fleet.failures()).as(label).isZero();
            String currentId = (String) Json.object(world.rotator.value(arn, "AWSCURRENT")).get("accessKeyId");
            String previousId = (String) Json.object(world.rotator.value(arn, "AWSPREVIOUS")).get("accessKeyId");
            assertThat(world.keys()).as(label).extracting(k -> k.accessKeyId()).containsExactlyInAnyOrder(currentId, previousId);
        } finally {
            stsByKey.values().forEach(StsClient::close);
        }
    }

    /** Creates a key for the user and a secret holding it (extra JSON fields merged in). */
    private static String secretWithNewKey(IamWorld world, String extraJson) {
        AccessKey key = world.iam.createAccessKey(b -> b.userName(IamWorld.USER)).accessKey();
        Map<String, Object> value = new java.util.LinkedHashMap<>(Map.of("provider", "aws-iam", "userName", IamWorld.USER,
                "accessKeyId", key.accessKeyId(), "secretAccessKey", key.secretAccessKey(), "team", "platform"));
        value.putAll(Json.object(extraJson));
        return world.secret("iam/" + java.util.UUID.randomUUID(), Json.write(value));
    }

    private static StatusType status(IamWorld world, String keyId) {
        return world.keys().stream().filter(k -> k.accessKeyId().equals(keyId)).findFirst().orElseThrow().status();
    }

    private static boolean callAs(MotoServer moto, Map<String, StsClient> cache, Map<String, Object> secret) {
        String id = (String) secret.get("accessKeyId");
        StsClient sts = cache.computeIfAbsent(id, k -> moto.configure(StsClient.builder(),
                AwsBasicCredentials.create(id, (String) secret.get("secretAccessKey"))).build());
        return sts.getCallerIdentity().arn().endsWith("/" + IamWorld.USER);
    }
}
