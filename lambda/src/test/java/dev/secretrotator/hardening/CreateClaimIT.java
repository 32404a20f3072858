package dev.secretrotator.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.engine.CreateClaim;
import dev.secretrotator.testing.AwsFaults;
import dev.secretrotator.testing.FaultInjector.When;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.weaviate.WeaviateCalls;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The claim that makes a weaviate createSecret exclusive (issue 9): a claim held by another
 * invocation is waited for and never overlapped; a released or expired one is taken over; a holder
 * that fails releases it; a refused createSecret leaves no claim; a claim holds no secret.
 * Secrets Manager is moto with the service's {@code PutSecretValue} semantics.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class CreateClaimIT {
    private WeaviateTestServer server;
    private WeaviateBench bench;
    private final AtomicInteger rotateKeys = new AtomicInteger();

    @BeforeEach
    void start(MotoServer moto) {
        String adminKey = WeaviateBench.randomKey();
        server = WeaviateBench.startServer(adminKey);
        bench = new WeaviateBench(moto, server, adminKey);
        bench.http.observe(r -> {
            if (r.request().uri().getPath().endsWith("/rotate-key") && r.statusCode() == 200) {
                rotateKeys.incrementAndGet();
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createSecret_whileAnotherInvocationHoldsTheClaim_waitsWithinItsDeadline_thenFailsNamingTheClaim_andChangesNothing() {
        // GIVEN a started rotation whose claim another invocation holds for a minute
        String arn = secret("held");
        String token = bench.rotator.driver.startRotation(arn);
        putClaim(arn, CreateClaim.versionId(token, 0), bench.clock.instant().plusSeconds(60));
        String idleKey = server.apiKeyOf("held_b");

        // WHEN createSecret runs in an invocation with 4 s left
        long started = System.nanoTime();
        Throwable failure = catchThrowable(() -> TimeoutsIT.invoke(bench.rotator.handler, "createSecret", arn, token, 4_000));

        // THEN it waited until its own deadline, then failed naming the claim, the secret and the step, and rotated nothing
        assertThat(failure).hasMessageContaining("another invocation of createSecret holds this rotation's claim")
                .hasMessageContaining(arn).hasMessageContaining("createSecret");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(4));
        assertThat(rotateKeys.get()).isZero();
        assertThat(server.apiKeyOf("held_b")).isEqualTo(idleKey);
        assertThat(bench.rotator.stages(arn).get(token)).containsExactly("AWSPENDING");
        assertThat(pendingValue(arn, token)).isNull();
    }

    @Test
    void createSecret_whileAClaimRunsOut_waitsForIt_thenTakesOver() {
        // GIVEN a claim whose holder stores nothing and whose lease ends in a second
        String arn = secret("expiring");
        String token = bench.rotator.driver.startRotation(arn);
        putClaim(arn, CreateClaim.versionId(token, 0), bench.clock.instant().plusSeconds(1));

        // WHEN createSecret runs
        bench.rotator.driver.invoke("createSecret", arn, token);

        // THEN it waited out the lease, then took the next generation and stored the idle user's live key
        assertThat(rotateKeys.get()).isEqualTo(1);
        assertThat(claimVersions(arn)).contains(CreateClaim.versionId(token, 1));
        assertThat(bench.works((String) Json.object(pendingValue(arn, token)).get("apiKey"), "expiring_b")).isTrue();
    }

    @Test
    void createSecret_afterTheHolderDied_takesOverOnceTheLeaseExpired_andTheRotationCompletes() {
        // GIVEN a claim whose holder died: still labelled, its lease over by the function's clock
        String arn = secret("died");
        String token = bench.rotator.driver.startRotation(arn);
        putClaim(arn, CreateClaim.versionId(token, 0), bench.clock.instant().minusSeconds(1));

        // WHEN the rotation runs
        bench.rotator.driver.maxAttempts(1).complete(arn, token, dev.secretrotator.testing.ServiceDriver.Fault.NONE);

        // THEN it took the next generation, rotated the idle user once, and no claim is left held
        assertThat(rotateKeys.get()).isEqualTo(1);
        assertThat(Json.object(bench.rotator.value(arn, "AWSCURRENT"))).containsEntry("userId", "died_b");
        assertThat(claimVersions(arn)).contains(CreateClaim.versionId(token, 0), CreateClaim.versionId(token, 1));
        assertThat(labelled(arn)).doesNotContain(CreateClaim.STAGE);
    }

    @Test
    void createSecret_afterAReleasedClaim_takesOverAtOnce() {
        // GIVEN generation 0 of the claim, released (its label removed) by a holder that stored nothing
        String arn = secret("released");
        String token = bench.rotator.driver.startRotation(arn);
        String version = CreateClaim.versionId(token, 0);
        putClaim(arn, version, bench.clock.instant().plusSeconds(60));
        bench.rotator.client.updateSecretVersionStage(b -> b.secretId(arn).versionStage(CreateClaim.STAGE).removeFromVersionId(version));

        // WHEN createSecret runs THEN it stores a working key without waiting for the lease
        bench.rotator.driver.invoke("createSecret", arn, token);
        assertThat(bench.works((String) Json.object(pendingValue(arn, token)).get("apiKey"), "released_b")).isTrue();
    }

    @Test
    void aHolderThatFails_releasesTheClaim_soTheRetryRunsAtOnce() {
        // GIVEN a started rotation whose rotate-key answers 503 once
        String arn = secret("fails");
        String token = bench.rotator.driver.startRotation(arn);
        bench.http.failWithStatus("POST", ".*/rotate-key", 1, When.BEFORE_CALL, 503);

        // WHEN createSecret fails, then runs again at once (an unreleased claim would hold it back for its lease)
        Throwable first = catchThrowable(() -> bench.rotator.driver.invoke("createSecret", arn, token));
        assertThat(first).isNotNull();
        assertThat(labelled(arn)).doesNotContain(CreateClaim.STAGE);
        bench.rotator.driver.invoke("createSecret", arn, token);

        // THEN the second attempt took the next generation and stored the live key
        assertThat(claimVersions(arn)).contains(CreateClaim.versionId(token, 1));
        assertThat(bench.works((String) Json.object(pendingValue(arn, token)).get("apiKey"), "fails_b")).isTrue();
    }

    @Test
    void aHolderWhoseCallGotNoAnswer_keepsTheClaimForItsLease_becauseTheCallMayStillLand() {
        // GIVEN a started rotation whose rotate-key times out once (Weaviate may still act on it)
        String arn = secret("silent");
        String token = bench.rotator.driver.startRotation(arn);
        bench.http.failWithTimeout("POST", ".*/rotate-key", 1, When.BEFORE_CALL);

        // WHEN createSecret fails, and runs again at once in an invocation with 4 s left
        assertThat(catchThrowable(() -> bench.rotator.driver.invoke("createSecret", arn, token))).isNotNull();
        assertThat(labelled(arn)).contains(CreateClaim.STAGE);
        Throwable blocked = catchThrowable(() -> TimeoutsIT.invoke(bench.rotator.handler, "createSecret", arn, token, 4_000));

        // THEN the retry is held off with nothing changed; once the lease has passed, the next one succeeds
        assertThat(blocked).hasMessageContaining("holds this rotation's claim");
        assertThat(pendingValue(arn, token)).isNull();
        bench.clock.advance(CreateClaim.BUDGET.plus(CreateClaim.SKEW));
        bench.rotator.driver.invoke("createSecret", arn, token);
        assertThat(bench.works((String) Json.object(pendingValue(arn, token)).get("apiKey"), "silent_b")).isTrue();
    }

    @Test
    void createSecret_afterManyFailedAttempts_skipsToTheLatestClaimGeneration() {
        // GIVEN six earlier attempts of this rotation, each of which took and released a claim
        String arn = secret("many");
        String token = bench.rotator.driver.startRotation(arn);
        for (int g = 0; g < 6; g++) {
            String version = CreateClaim.versionId(token, g);
            putClaim(arn, version, bench.clock.instant().plusSeconds(60));
            bench.rotator.client.updateSecretVersionStage(b -> b.secretId(arn).versionStage(CreateClaim.STAGE).removeFromVersionId(version));
        }
        int puts = bench.rotator.faults.calls("putSecretValue");

        // WHEN createSecret runs
        bench.rotator.driver.invoke("createSecret", arn, token);

        // THEN it tried generation 0, then the latest (5), then took 6: three claim writes and the pending value
        assertThat(bench.rotator.faults.calls("putSecretValue") - puts).isEqualTo(4);
        assertThat(claimVersions(arn)).contains(CreateClaim.versionId(token, 6));
        assertThat(bench.works((String) Json.object(pendingValue(arn, token)).get("apiKey"), "many_b")).isTrue();
    }

    @Test
    void aRetriedFinishSecret_afterTheCutover_removesAClaimLabelLeftBehind() {
        // GIVEN a completed rotation, and a claim label still on a version (a release and finishSecret's cleanup both failed)
        String arn = secret("late");
        String token = bench.rotator.driver.startRotation(arn);
        bench.rotator.driver.maxAttempts(1).complete(arn, token, dev.secretrotator.testing.ServiceDriver.Fault.NONE);
        putClaim(arn, CreateClaim.versionId(token, 7), bench.clock.instant().plusSeconds(60));

        // WHEN Secrets Manager retries finishSecret (the token is already AWSCURRENT)
        bench.rotator.driver.invoke("finishSecret", arn, token);

        // THEN the label is gone and AWSCURRENT is unchanged
        assertThat(labelled(arn)).doesNotContain(CreateClaim.STAGE);
        assertThat(bench.rotator.stages(arn).get(token)).containsExactly("AWSCURRENT");
    }

    @Test
    void aClaimLabelLeftByAFailedRelease_isRemovedByFinishSecret() {
        // GIVEN a createSecret whose release of the claim fails (the step itself succeeds)
        String arn = secret("unreleased");
        String token = bench.rotator.driver.startRotation(arn);
        int stageCalls = bench.rotator.faults.calls("updateSecretVersionStage");
        bench.rotator.faults.fail("updateSecretVersionStage", stageCalls + 1, When.BEFORE_CALL,
                () -> AwsFaults.of(AwsFaults.Kind.THROTTLING, SecretsManagerException::builder, "SecretsManager", "ThrottlingException"));
        bench.rotator.driver.invoke("createSecret", arn, token);
        assertThat(labelled(arn)).contains(CreateClaim.STAGE);

        // WHEN the rotation completes
        bench.rotator.driver.maxAttempts(1).complete(arn, token, dev.secretrotator.testing.ServiceDriver.Fault.NONE);

        // THEN no version keeps the claim label
        assertThat(labelled(arn)).doesNotContain(CreateClaim.STAGE);
        assertThat(Json.object(bench.rotator.value(arn, "AWSCURRENT"))).containsEntry("userId", "unreleased_b");
    }

    @Test
    void aRefusedCreateSecret_leavesNoClaimVersion() {
        // GIVEN an idle user used just now, within the quiet period
        String active = "busy_a";
        String idle = "busy_b";
        String idleKey = bench.user(idle);
        Map<String, Object> quiet = Map.of("retirement", Map.of("gracePeriod", "PT0S", "quietPeriod", "PT1H"));
        String arn = bench.alternatingSecret("claim/busy", active, idle, quiet);
        assertThat(use(idleKey)).isEqualTo(200);
        String token = bench.rotator.driver.startRotation(arn);
        int versions = allVersions(arn).size();

        // WHEN createSecret refuses
        Throwable failure = catchThrowable(() -> bench.rotator.driver.invoke("createSecret", arn, token));

        // THEN no version was added, not even a deprecated claim
        assertThat(failure).hasMessageContaining("quiet period");
        assertThat(allVersions(arn)).hasSize(versions);
    }

    @Test
    void aClaim_holdsItsOwnerExpiryAndRotationOnly() {
        // GIVEN a completed createSecret
        String arn = secret("contents");
        String token = bench.rotator.driver.startRotation(arn);
        bench.rotator.driver.invoke("createSecret", arn, token);

        // THEN its claim version holds no secret: only who held it, until when, for which rotation
        String claim = bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(CreateClaim.versionId(token, 0))).secretString();
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) Json.object(claim).get("secret-rotator:claim");
        assertThat(body).containsOnlyKeys("owner", "until", "rotation").containsEntry("rotation", token);
        assertThat(Instant.parse((String) body.get("until"))).isAfter(bench.clock.instant());
        assertThat(claim).doesNotContain(server.apiKeyOf("contents_b"));
    }

    private String secret(String prefix) {
        bench.user(prefix + "_b");
        return bench.alternatingSecret("claim/" + prefix, prefix + "_a", prefix + "_b",
                Map.of("verification", Map.of("timeout", "PT1S", "consecutiveSuccesses", 1)));
    }

    /** A consumer's call with {@code key}: Weaviate records the use. */
    private int use(String key) {
        return WeaviateCalls.send(bench.plain, server.baseUrl(), "GET", "/v1/users/own-info", null, key).statusCode();
    }

    /** Stores a claim as another invocation would. */
    private void putClaim(String arn, String version, Instant until) {
        String value = Json.write(Map.of("secret-rotator:claim", Map.of("owner", "someone-else", "until", until.toString(),
                "rotation", "elsewhere")));
        bench.rotator.client.putSecretValue(b -> b.secretId(arn).clientRequestToken(version).secretString(value)
                .versionStages(CreateClaim.STAGE));
    }

    /** The value stored under the rotation's version, or null. */
    private String pendingValue(String arn, String token) {
        try {
            return bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)).secretString();
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException none) {
            return null;
        }
    }

    /** Every version moto keeps, deprecated ones included. */
    private List<SecretVersionsListEntry> allVersions(String arn) {
        return bench.rotator.client.listSecretVersionIds(b -> b.secretId(arn).includeDeprecated(true)).versions();
    }

    private List<String> claimVersions(String arn) {
        return allVersions(arn).stream().map(SecretVersionsListEntry::versionId)
                .filter(v -> bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(v)).secretString()
                        .contains("secret-rotator:claim"))
                .collect(Collectors.toList());
    }

    private List<String> labelled(String arn) {
        return allVersions(arn).stream().flatMap(v -> v.versionStages().stream()).collect(Collectors.toList());
    }
}
