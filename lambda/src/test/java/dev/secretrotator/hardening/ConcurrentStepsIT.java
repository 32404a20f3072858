package dev.secretrotator.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.engine.StoredHistory;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.ServiceSemantics;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.SendGridTestServer;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * Issue 9: the same step invoked twice at once (Lambda retries can overlap) never leaves two
 * credentials or two versions. Secrets Manager is emulated with the service's
 * {@code PutSecretValue} semantics ({@link ServiceSemantics}: moto would overwrite); each race is
 * run several times, since the interleaving differs from run to run.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class ConcurrentStepsIT {
    static final int RACES = 4;
    static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void harness_putSecretValue_refusesASecondDifferentValueUnderOneVersion_likeTheService(MotoServer moto) {
        // GIVEN a version that holds a value
        SecretsManagerClient sm = ServiceSemantics.secretsManager(moto.configure(SecretsManagerClient.builder()).build());
        String arn = sm.createSecret(b -> b.name("semantics").secretString("{\"v\":\"first-value-1\"}")).arn();
        String version = java.util.UUID.randomUUID().toString();
        sm.putSecretValue(b -> b.secretId(arn).clientRequestToken(version).secretString("{\"v\":\"second-value\"}").versionStages("X"));

        // WHEN the same version is written again THEN the same value is accepted, a different one refused
        sm.putSecretValue(b -> b.secretId(arn).clientRequestToken(version).secretString("{\"v\":\"second-value\"}").versionStages("X"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sm.putSecretValue(b -> b.secretId(arn).clientRequestToken(version)
                .secretString("{\"v\":\"third-value\"}").versionStages("X"))).isInstanceOf(ResourceExistsException.class);
        assertThat(sm.getSecretValue(b -> b.secretId(arn).versionId(version)).secretString()).contains("second-value");
    }

    @Test
    void harness_describeSecret_listsOnlyLabelledVersions_likeTheService(MotoServer moto) {
        // GIVEN a version whose only label was removed (deprecated)
        SecretsManagerClient sm = ServiceSemantics.secretsManager(moto.configure(SecretsManagerClient.builder()).build());
        String arn = sm.createSecret(b -> b.name("semantics-labels").secretString("{\"v\":\"first-value-1\"}")).arn();
        String version = java.util.UUID.randomUUID().toString();
        sm.putSecretValue(b -> b.secretId(arn).clientRequestToken(version).secretString("{\"v\":\"second-value\"}").versionStages("X"));
        sm.updateSecretVersionStage(b -> b.secretId(arn).versionStage("X").removeFromVersionId(version));

        // WHEN the secret is described THEN the deprecated version is left out; it can still be read by id
        assertThat(sm.describeSecret(b -> b.secretId(arn)).versionIdsToStages()).hasSize(1).doesNotContainKey(version);
        assertThat(sm.getSecretValue(b -> b.secretId(arn).versionId(version)).secretString()).contains("second-value");
    }

    @Test
    void randomPassword_createSecretTwiceAtOnce_storesOnePendingValue_andTheRotationCompletes(MotoServer moto) throws Exception {
        TestRotator rotator = new TestRotator(ServiceSemantics.secretsManager(moto.configure(SecretsManagerClient.builder()).build()),
                Map.of(), dev.secretrotator.provider.ProviderServices.builder());
        for (int race = 0; race < RACES; race++) {
            // GIVEN a started rotation
            String arn = rotator.createSecret("race/password-" + race, "{\"provider\":\"random-password\",\"password\":\"initial-pw-1\"}");
            String token = rotator.driver.startRotation(arn);

            // WHEN createSecret runs twice at once
            List<Throwable> failures = twiceAtOnce(() -> rotator.driver.invoke("createSecret", arn, token));

            // THEN both succeed, one value is stored under the one pending version, and the rotation completes
            assertThat(failures).isEmpty();
            assertThat(rotator.stages(arn)).hasSize(2);
            String pending = rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token).versionStage("AWSPENDING")).secretString();
            rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
            assertThat(rotator.value(arn, "AWSCURRENT")).isEqualTo(pending);
            assertThat(rotator.stages(arn)).hasSize(2);
        }
    }

    @Test
    void awsIam_createSecretTwiceAtOnce_leavesOneNewKey_theStoredOne_andTheRotationCompletes(MotoServer moto) throws Exception {
        String[] users = new String[RACES];
        for (int i = 0; i < RACES; i++) {
            users[i] = "racer-" + i;
        }
        IamBench bench = new IamBench(moto, Map.of(), users);
        int discarded = 0;
        for (String user : users) {
            // GIVEN a secret naming a user without keys (the first rotation creates one: room for two at once)
            String arn = bench.secret("race/" + user, "{\"provider\":\"aws-iam\",\"userName\":\"" + user
                    + "\",\"verification\":{\"consecutiveSuccesses\":1}}", user);
            String token = bench.rotator.driver.startRotation(arn);
            int created = bench.iamFaults.calls("createAccessKey");

            // WHEN createSecret runs twice at once
            List<Throwable> failures = twiceAtOnce(() -> bench.rotator.driver.invoke("createSecret", arn, token));

            // THEN the user holds exactly one key, the one stored in the pending version
            assertThat(failures).isEmpty();
            String pendingId = (String) Json.object(bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                    .versionStage("AWSPENDING")).secretString()).get("accessKeyId");
            assertThat(bench.keys(user)).extracting(k -> k.accessKeyId()).containsExactly(pendingId);
            discarded += bench.iamFaults.calls("createAccessKey") - created - 1;
            // AND the rotation completes with a working key
            bench.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
            Map<String, Object> current = Json.object(bench.rotator.value(arn, "AWSCURRENT"));
            assertThat(bench.authenticates((String) current.get("accessKeyId"), (String) current.get("secretAccessKey"), user)).isTrue();
            assertThat(bench.rotator.stages(arn)).hasSize(2);
        }
        System.out.printf("aws-iam createSecret races: %d, keys created by a losing invocation and discarded: %d%n", RACES, discarded);
    }

    @Test
    void awsIam_createSecretTwiceAtOnce_withACurrentKey_neverExceedsTwoKeys_andTheRotationCompletes(MotoServer moto) throws Exception {
        IamBench bench = new IamBench(moto, Map.of(), "racer-full");
        AccessKey first = bench.newKey("racer-full");
        String arn = bench.secret("race/full", Json.write(Map.of("provider", "aws-iam", "userName", "racer-full",
                "accessKeyId", first.accessKeyId(), "secretAccessKey", first.secretAccessKey(),
                "verification", Map.of("consecutiveSuccesses", 1))), "racer-full");
        String token = bench.rotator.driver.startRotation(arn);

        // WHEN createSecret runs twice at once (IAM's two-key limit stops a second new key)
        List<Throwable> failures = twiceAtOnce(() -> bench.rotator.driver.invoke("createSecret", arn, token));

        // THEN at most one failed (the limit), the user holds the current key and the stored pending one
        assertThat(failures).hasSizeLessThanOrEqualTo(1);
        String pendingId = (String) Json.object(bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                .versionStage("AWSPENDING")).secretString()).get("accessKeyId");
        assertThat(bench.keys("racer-full")).extracting(k -> k.accessKeyId()).containsExactlyInAnyOrder(first.accessKeyId(), pendingId);
        bench.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
        assertThat(bench.rotator.stages(arn)).hasSize(2);
    }

    @Test
    void awsIam_aFreshUnstoredKey_isNotDeletedAsAnOrphan_butWaitedFor_andTheValueStoredWithItTaken(MotoServer moto) throws Exception {
        // GIVEN a started rotation whose pending value another invocation is about to store: its new key
        // exists, unused and held by no version, so it looks like the orphan of a failed attempt
        IamBench bench = new IamBench(moto, Map.of(), "racer-late");
        AccessKey first = bench.newKey("racer-late");
        String arn = bench.secret("race/late", Json.write(Map.of("provider", "aws-iam", "userName", "racer-late",
                "accessKeyId", first.accessKeyId(), "secretAccessKey", first.secretAccessKey(),
                "verification", Map.of("consecutiveSuccesses", 1))), "racer-late");
        // AWSCURRENT took over a minute ago (moto reports a version's creation date as of the last change)
        String currentVersion = bench.rotator.stages(arn).keySet().iterator().next();
        bench.rotator.client.tagResource(r -> r.secretId(arn).tags(t -> t.key(StoredHistory.CUTOVER_TAG)
                .value(StoredHistory.cutoverTag(currentVersion, java.time.Instant.now().minusSeconds(60)))));
        String token = bench.rotator.driver.startRotation(arn);
        AccessKey theirs = bench.newKey("racer-late");
        String theirValue = Json.write(Map.of("provider", "aws-iam", "userName", "racer-late", "accessKeyId", theirs.accessKeyId(),
                "secretAccessKey", theirs.secretAccessKey(), "verification", Map.of("consecutiveSuccesses", 1)));

        // WHEN createSecret runs, and the other invocation stores its value a second later
        Future<?> theirPut = pool.submit(() -> {
            Thread.sleep(1_000);
            return bench.rotator.client.putSecretValue(b -> b.secretId(arn).clientRequestToken(token).secretString(theirValue)
                    .versionStages("AWSPENDING"));
        });
        bench.rotator.driver.invoke("createSecret", arn, token);
        theirPut.get(30, TimeUnit.SECONDS);

        // THEN this invocation deleted and created nothing: the stored value stands, and its key is still there
        assertThat(bench.iamFaults.calls("deleteAccessKey")).isZero();
        assertThat(bench.iamFaults.calls("createAccessKey")).isZero();
        assertThat(bench.keys("racer-late")).extracting(k -> k.accessKeyId())
                .containsExactlyInAnyOrder(first.accessKeyId(), theirs.accessKeyId());
        assertThat(bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)).secretString()).isEqualTo(theirValue);
        bench.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
        assertThat(Json.object(bench.rotator.value(arn, "AWSCURRENT"))).containsEntry("accessKeyId", theirs.accessKeyId());
    }

    @Test
    void httpApiKey_aKeyOfThisRotationMintedByAnotherContainer_isNotRevoked_butWaitedFor_andTaken(MotoServer moto)
            throws Exception {
        try (SendGridTestServer sendgrid = new SendGridTestServer()) {
            // GIVEN a started rotation, and another container's createSecret that minted the rotation's key
            // and is about to store it (this container never asked for a key)
            SaasBench bench = new SaasBench(moto, sendgrid, new dev.secretrotator.testing.MutableClock());
            ApiKeys.Key first = bench.seed("made in the console");
            Map<String, Object> value = bench.secret("sendgrid", first);
            String arn = bench.rotator.createSecret("race/sendgrid", Json.write(value));
            String token = bench.rotator.driver.startRotation(arn);
            ApiKeys.Key theirs = bench.seed("rotator-" + token);
            Map<String, Object> theirValue = new java.util.LinkedHashMap<>(value);
            theirValue.put("keyId", theirs.id());
            theirValue.put("apiKey", theirs.secret());

            // WHEN createSecret runs here, and the other container stores its value a second later
            Future<?> theirPut = pool.submit(() -> {
                Thread.sleep(1_000);
                return bench.rotator.client.putSecretValue(b -> b.secretId(arn).clientRequestToken(token)
                        .secretString(Json.write(theirValue)).versionStages("AWSPENDING"));
            });
            bench.rotator.driver.invoke("createSecret", arn, token);
            theirPut.get(30, TimeUnit.SECONDS);

            // THEN their key was not revoked and no other was minted: the stored value stands and the rotation completes
            assertThat(sendgrid.isActive(theirs.id())).isTrue();
            assertThat(sendgrid.activeKeys()).hasSize(3); // the admin key, the first key, theirs
            bench.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
            assertThat(Json.object(bench.rotator.value(arn, "AWSCURRENT"))).containsEntry("keyId", theirs.id());
        }
    }

    @Test
    void httpApiKey_createSecretTwiceAtOnce_onTwoContainers_leavesOneNewKey_andTheRotationCompletes(MotoServer moto)
            throws Exception {
        try (SendGridTestServer sendgrid = new SendGridTestServer()) {
            dev.secretrotator.testing.MutableClock clock = new dev.secretrotator.testing.MutableClock();
            SaasBench one = new SaasBench(moto, sendgrid, clock);
            SaasBench two = new SaasBench(moto, sendgrid, clock, one.rotator.client, one.adminArn);
            ApiKeys.Key first = one.seed("made in the console");
            for (int race = 0; race < RACES; race++) {
                // GIVEN a started rotation
                String arn = one.rotator.createSecret("race/saas-" + race, Json.write(one.secret("sendgrid", first)));
                String token = one.rotator.driver.startRotation(arn);

                // WHEN two containers run createSecret at once
                CountDownLatch go = new CountDownLatch(1);
                Future<Optional<Throwable>> a = pool.submit(() -> {
                    go.await();
                    return attempt(() -> one.rotator.driver.invoke("createSecret", arn, token));
                });
                Future<Optional<Throwable>> b = pool.submit(() -> {
                    go.await();
                    return attempt(() -> two.rotator.driver.invoke("createSecret", arn, token));
                });
                go.countDown();
                assertThat(a.get(60, TimeUnit.SECONDS)).isEmpty();
                assertThat(b.get(60, TimeUnit.SECONDS)).isEmpty();

                // THEN the stored key is the only new one, and the rotation completes with it
                String pendingId = (String) Json.object(one.rotator.client.getSecretValue(r -> r.secretId(arn).versionId(token)
                        .versionStage("AWSPENDING")).secretString()).get("keyId");
                assertThat(sendgrid.activeKeys()).filteredOn(k -> k.name().equals("rotator-" + token))
                        .extracting(ApiKeys.Key::id).containsExactly(pendingId);
                one.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
                assertThat(Json.object(one.rotator.value(arn, "AWSCURRENT"))).containsEntry("keyId", pendingId);
            }
        }
    }

    /**
     * Regression (issue 9): both invocations used to rotate the idle user's key, and when the one
     * that stored its value first had also rotated first, the stored key was dead and the rotation
     * could not complete. createSecret of a weaviate rotation is now exclusive (a claim version).
     */
    @Test
    void weaviate_createSecretTwiceAtOnce_rotatesTheIdleUserOnce_andTheRotationCompletes(MotoServer moto) throws Exception {
        String adminKey = WeaviateBench.randomKey();
        try (WeaviateTestServer server = WeaviateBench.startServer(adminKey)) {
            WeaviateBench bench = new WeaviateBench(moto, server, adminKey);
            AtomicInteger rotateKeys = new AtomicInteger();
            bench.http.observe(r -> {
                if (r.request().uri().getPath().endsWith("/rotate-key") && r.statusCode() == 200) {
                    rotateKeys.incrementAndGet();
                }
            });
            for (int race = 0; race < RACES; race++) {
                // GIVEN a started rotation of an alternating-users secret whose idle user exists
                String a = "race_a" + race;
                String b = "race_b" + race;
                bench.user(b);
                String arn = bench.alternatingSecret("race/weaviate-" + race, a, b,
                        Map.of("verification", Map.of("timeout", "PT1S", "consecutiveSuccesses", 1)));
                String currentKey = (String) Json.object(bench.rotator.value(arn, "AWSCURRENT")).get("apiKey");
                String token = bench.rotator.driver.startRotation(arn);
                int before = rotateKeys.get();

                // WHEN createSecret runs twice at once
                List<Throwable> failures = twiceAtOnce(() -> bench.rotator.driver.invoke("createSecret", arn, token));

                // THEN both succeed, the idle user's key was rotated once, and the stored key is its live key
                assertThat(failures).isEmpty();
                assertThat(rotateKeys.get() - before).isEqualTo(1);
                assertThat(bench.rotator.stages(arn)).hasSize(2);
                String pendingKey = (String) Json.object(bench.rotator.client.getSecretValue(r -> r.secretId(arn).versionId(token)
                        .versionStage("AWSPENDING")).secretString()).get("apiKey");
                assertThat(bench.works(pendingKey, b)).isTrue();
                assertThat(bench.works(currentKey, a)).isTrue();
                // AND the rotation completes on the first attempt
                bench.rotator.driver.maxAttempts(1).complete(arn, token, ServiceDriver.Fault.NONE);
                assertThat(Json.object(bench.rotator.value(arn, "AWSCURRENT"))).containsEntry("apiKey", pendingKey).containsEntry("userId", b);
                assertThat(bench.rotator.stages(arn).values()).noneMatch(l -> l.contains("secret-rotator-claim"));
            }
        }
    }

    @Test
    void weaviateSingleUser_createSecretTwiceAtOnce_storesTheLiveKey_andTheRotationCompletes(MotoServer moto) throws Exception {
        String adminKey = WeaviateBench.randomKey();
        try (WeaviateTestServer server = WeaviateBench.startServer(adminKey)) {
            WeaviateBench bench = new WeaviateBench(moto, server, adminKey);
            for (int race = 0; race < RACES; race++) {
                // GIVEN a started rotation of a single-user secret
                String user = "solo_" + race;
                String arn = bench.singleUserSecret("race/weaviate-single-" + race, user,
                        Map.of("verification", Map.of("timeout", "PT1S", "consecutiveSuccesses", 1)));
                String token = bench.rotator.driver.startRotation(arn);

                // WHEN createSecret runs twice at once
                List<Throwable> failures = twiceAtOnce(() -> bench.rotator.driver.invoke("createSecret", arn, token));

                // THEN both succeed and the stored key is the user's live key (a second rotate-key would have killed it)
                assertThat(failures).isEmpty();
                String pendingKey = (String) Json.object(bench.rotator.client.getSecretValue(r -> r.secretId(arn).versionId(token)
                        .versionStage("AWSPENDING")).secretString()).get("apiKey");
                assertThat(bench.works(pendingKey, user)).isTrue();
                bench.rotator.driver.maxAttempts(1).complete(arn, token, ServiceDriver.Fault.NONE);
                assertThat(Json.object(bench.rotator.value(arn, "AWSCURRENT"))).containsEntry("apiKey", pendingKey);
            }
        }
    }

    /** Runs {@code step} on two threads released together; returns what they threw. */
    static List<Throwable> twiceAtOnce(Runnable step) throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<Throwable>>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return attempt(step);
            }));
        }
        ready.await(5, TimeUnit.SECONDS);
        go.countDown();
        List<Throwable> failures = new ArrayList<>();
        for (Future<Optional<Throwable>> run : runs) {
            run.get(60, TimeUnit.SECONDS).ifPresent(failures::add);
        }
        return failures;
    }

    static Optional<Throwable> attempt(Runnable step) {
        try {
            step.run();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e);
        }
    }
}
