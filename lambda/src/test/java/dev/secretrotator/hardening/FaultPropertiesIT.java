package dev.secretrotator.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.hardening.Scenario.Where;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.saas.SendGridTestServer;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 9: property-based fault injection over every provider. Each try rotates a secret while one
 * to three faults strike at random points (any AWS or target call throwing throttling, a 5xx or a
 * timeout, before it reached the service or after the service acted; or the process dying between
 * two steps), and the service retries as Secrets Manager does. After each run:
 * <ul>
 *   <li>the rotation completed, and {@code AWSCURRENT} authenticates against its target (for
 *       zero-downtime providers also at every step boundary on the way);
 *   <li>{@code AWSPENDING} sits nowhere but on {@code AWSCURRENT} once finishSecret succeeded, and
 *       exactly one new version exists;
 *   <li>credential counts stay within the target's limits, and no orphan credential is left
 *       unrevoked (IAM: only the keys of {@code AWSCURRENT} and {@code AWSPREVIOUS}; Weaviate: only
 *       the configured users);
 *   <li>no credential the targets issued, stored value or rotation token appears in the output or
 *       in any error.
 * </ul>
 * The figures (scenarios tried, faults, retried attempts, violations) are printed at the end.
 * jqwik runs this beside the Jupiter tests; moto and the Weaviate test server are started once.
 * Shrinking is off: a scenario has at most three faults and prints itself in full, and jqwik's
 * time-bounded shrinking would leave a run going in the background, on the shared emulator,
 * while the next property starts. jqwik re-runs a failed sample first on the next build.
 */
class FaultPropertiesIT {
    static final String IAM_USER = "prop-deployer";
    static final Map<String, Tally> TALLIES = new ConcurrentSkipListMap<>();
    static final AtomicInteger RUN = new AtomicInteger();
    static MotoServer moto;
    static WeaviateTestServer weaviate;
    static String weaviateAdmin;
    static final MutableClock SAAS_CLOCK = new MutableClock();
    static SendGridTestServer sendgrid;

    /** The figures of one property. */
    static final class Tally {
        final AtomicInteger tried = new AtomicInteger();
        final AtomicInteger faults = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        final List<String> violations = new CopyOnWriteArrayList<>();
    }

    @BeforeContainer
    static void start() {
        moto = MotoServer.start();
        weaviateAdmin = WeaviateBench.randomKey();
        weaviate = WeaviateBench.startServer(weaviateAdmin);
        sendgrid = new SendGridTestServer(SAAS_CLOCK);
    }

    @AfterContainer
    static void stop() {
        TALLIES.forEach((provider, t) -> System.out.printf("fault-injection properties, %s: %d scenarios tried, %d faults armed,"
                + " %d failed attempts retried by the service, %d violated an invariant%n",
                provider, t.tried.get(), t.faults.get(), t.retried.get(), t.violations.size()));
        TALLIES.values().forEach(t -> t.violations.forEach(v -> System.out.println("  violation: " + v)));
        if (weaviate != null) {
            weaviate.close();
        }
        if (sendgrid != null) {
            sendgrid.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Provide
    Arbitrary<Scenario> passwordFaults() {
        return Scenario.of(Scenario.mix(
                Tuple.of(3, Scenario.sdk(Where.SECRETS_MANAGER, "describeSecret", "getSecretValue", "getRandomPassword",
                        "putSecretValue", "updateSecretVersionStage", "tagResource", "listSecretVersionIds")),
                Tuple.of(1, Scenario.boundary())));
    }

    @Provide
    Arbitrary<Scenario> iamFaults() {
        return Scenario.of(Scenario.mix(
                Tuple.of(3, Scenario.sdk(Where.SECRETS_MANAGER, "describeSecret", "getSecretValue", "putSecretValue",
                        "updateSecretVersionStage", "tagResource", "untagResource", "listSecretVersionIds")),
                Tuple.of(3, Scenario.sdk(Where.IAM, "listUserTags", "listAccessKeys", "createAccessKey", "updateAccessKey",
                        "deleteAccessKey", "getAccessKeyLastUsed")),
                Tuple.of(1, Scenario.sdk(Where.STS, "getCallerIdentity")),
                Tuple.of(1, Scenario.boundary())));
    }

    @Provide
    Arbitrary<Scenario> weaviateFaults() {
        return Scenario.of(Scenario.mix(
                Tuple.of(2, Scenario.sdk(Where.SECRETS_MANAGER, "describeSecret", "getSecretValue", "putSecretValue",
                        "updateSecretVersionStage", "tagResource")),
                Tuple.of(4, Scenario.http("GET /v1/users/db/[^/]+", "POST /v1/users/db/[^/]+", "POST /v1/users/db/[^/]+/rotate-key",
                        "POST /v1/users/db/[^/]+/activate", "POST /v1/authz/users/[^/]+/(assign|revoke)", "GET /v1/users/own-info")),
                Tuple.of(1, Scenario.boundary())));
    }

    @Provide
    Arbitrary<Scenario> saasFaults() {
        return Scenario.of(Scenario.mix(
                Tuple.of(2, Scenario.sdk(Where.SECRETS_MANAGER, "describeSecret", "getSecretValue", "putSecretValue",
                        "updateSecretVersionStage", "tagResource")),
                Tuple.of(4, Scenario.http("POST /v3/api_keys", "GET /v3/api_keys", "DELETE /v3/api_keys/.+", "GET /v3/scopes")),
                Tuple.of(1, Scenario.boundary())));
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void httpApiKey_anyFailurePoints_thenTheServicesRetries_keepTheInvariants(@ForAll("saasFaults") Scenario s) {
        check("http-api-key (sendgrid)", s, Rigs.saas(moto, sendgrid, SAAS_CLOCK, s));
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void randomPassword_anyFailurePoints_thenTheServicesRetries_keepTheInvariants(@ForAll("passwordFaults") Scenario s) {
        check("random-password", s, Rigs.password(moto, s));
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void awsIam_anyFailurePoints_thenTheServicesRetries_keepTheInvariants(@ForAll("iamFaults") Scenario s) {
        check("aws-iam", s, Rigs.iam(moto, s, IAM_USER));
    }

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void weaviateAlternatingUsers_anyFailurePoints_thenTheServicesRetries_keepTheInvariants(@ForAll("weaviateFaults") Scenario s) {
        check("weaviate alternating-users", s, Rigs.weaviate(moto, weaviate, weaviateAdmin, s, "p" + RUN.incrementAndGet() + "_", true));
    }

    @Property(tries = 15, shrinking = ShrinkingMode.OFF)
    void weaviateSingleUser_anyFailurePoints_thenTheServicesRetries_keepTheInvariants(@ForAll("weaviateFaults") Scenario s) {
        check("weaviate single-user", s, Rigs.weaviate(moto, weaviate, weaviateAdmin, s, "s" + RUN.incrementAndGet() + "_", false));
    }

    private static void check(String provider, Scenario s, Rigs.Rig rig) {
        Rigs.Outcome outcome = Rigs.run(rig, s);
        Tally tally = TALLIES.computeIfAbsent(provider, p -> new Tally());
        tally.tried.incrementAndGet();
        tally.faults.addAndGet(s.faults().size());
        tally.retried.addAndGet(outcome.failedAttempts());
        if (!outcome.violations().isEmpty()) {
            tally.violations.add(s + " -> " + outcome.violations());
        }
        assertThat(new ArrayList<>(outcome.violations())).as("invariants after %s", s).isEmpty();
    }
}
