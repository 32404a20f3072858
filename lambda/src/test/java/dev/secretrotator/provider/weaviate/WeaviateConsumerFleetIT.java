package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.StaleCredentialException;
import dev.secretrotator.testing.ConsumerFleet;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consumers that read the key from the secret ({@code AWSCURRENT}, refreshed every
 * {@value #REFRESH_MILLIS} ms) and call Weaviate with it while the secret is rotated. Prints the
 * figures. Runs against the test server, or a real Weaviate with {@code WEAVIATE_URL}.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class WeaviateConsumerFleetIT {
    static final int CONSUMERS = 4;
    static final long PAUSE_MILLIS = 20;
    static final long REFRESH_MILLIS = 75;
    static final long QUIET_MILLIS = 500;

    WeaviateTarget target;
    WeaviateHarness h;
    final ConcurrentLinkedQueue<Long> failedAt = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp(MotoServer moto) {
        target = WeaviateTarget.start();
        h = new WeaviateHarness(moto, target);
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    @Test
    void alternatingUsers_consumersThrough20Rotations_haveZeroFailedCalls() throws InterruptedException {
        // GIVEN a secret with a short quiet period, and consumers calling Weaviate with its key
        String arn = h.alternatingSecret("weaviate/fleet", target.user("fleet_a"), target.user("fleet_b"),
                Map.of("retirement", Map.of("quietPeriod", "PT" + QUIET_MILLIS / 1000.0 + "S")));
        h.rotator.driver.maxAttempts(1);
        int rotations = 20;
        int refusals = 0;
        long started = System.nanoTime();
        ConsumerFleet fleet = new ConsumerFleet(CONSUMERS, PAUSE_MILLIS, reader(arn), this::call);
        try (fleet) {
            Thread.sleep(300);

            // WHEN it is rotated 20 times, each rotation started once the previous user has gone quiet
            for (int i = 0; i < rotations; i++) {
                refusals += rotateRetryingRefusals(arn);
                Thread.sleep(QUIET_MILLIS + 200);
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        // THEN no consumer call failed
        System.out.printf("weaviate alternating-users fleet (%s): %d rotations, %d consumers, %d calls, %d failed,"
                        + " %d createSecret refusals (previous user not yet quiet), %d s%n",
                target.isTestServer() ? "test server" : "WEAVIATE_URL", rotations, CONSUMERS, fleet.calls(),
                fleet.failures(), refusals, seconds);
        assertThat(fleet.calls()).isGreaterThan(rotations * 10L);
        assertThat(fleet.failures()).as("failed calls %s", fleet.failureNotes()).isZero();
    }

    @Test
    void singleUser_gapIsMeasured_andAfterFinishSecretTheCurrentKeyAlwaysWorks() throws InterruptedException {
        // GIVEN a single-user secret and consumers calling Weaviate with its key
        String arn = h.singleUserSecret("weaviate/single-fleet", target.user("single_app"), Map.of());
        int rotations = 5;
        List<Long> gaps = new ArrayList<>();
        List<Long> failedPerRotation = new ArrayList<>();
        ConsumerFleet fleet = new ConsumerFleet(CONSUMERS, PAUSE_MILLIS, reader(arn), this::call);
        try (fleet) {
            Thread.sleep(300);

            // WHEN it is rotated, letting consumers catch up after each rotation
            for (int i = 0; i < rotations; i++) {
                long from = System.nanoTime();
                h.rotator.driver.rotate(arn);

                // THEN right after finishSecret, AWSCURRENT's key works
                assertThat(target.works(h.currentKey(arn))).as("AWSCURRENT after rotation %d", i + 1).isTrue();
                Thread.sleep(REFRESH_MILLIS * 4);
                List<Long> window = failedAt.stream().filter(t -> t >= from).sorted().toList();
                failedPerRotation.add((long) window.size());
                gaps.add(window.isEmpty() ? 0 : (window.get(window.size() - 1) - window.get(0)) / 1_000_000 + PAUSE_MILLIS);
            }
        }

        // and the gap is measured and printed
        System.out.printf("weaviate single-user gap (%s): %d rotations, %d consumers, %d calls, %d failed; failed per rotation %s;"
                        + " gap per rotation (ms, first to last failed call) %s, max %d ms%n",
                target.isTestServer() ? "test server" : "WEAVIATE_URL", rotations, CONSUMERS, fleet.calls(), fleet.failures(),
                failedPerRotation, gaps, gaps.stream().mapToLong(Long::longValue).max().orElse(0));
        assertThat(failedPerRotation.stream().mapToLong(Long::longValue).sum()).isEqualTo(fleet.failures());
        assertThat(target.works(h.currentKey(arn))).isTrue();
    }

    /** One rotation; a createSecret refused because the previous user was used recently is retried later. */
    int rotateRetryingRefusals(String arn) throws InterruptedException {
        String token = h.rotator.driver.startRotation(arn);
        for (int refusals = 0; ; refusals++) {
            try {
                h.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
                return refusals;
            } catch (ServiceDriver.RotationFailed e) {
                if (!(e.failures().get(e.failures().size() - 1) instanceof StaleCredentialException) || refusals > 20) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    boolean call(String key) {
        boolean ok = target.ownInfo(key) == 200;
        if (!ok) {
            failedAt.add(System.nanoTime());
        }
        return ok;
    }

    /** Each consumer thread keeps its own copy of the key and re-reads AWSCURRENT when it is older than the refresh. */
    Supplier<String> reader(String arn) {
        ThreadLocal<long[]> readAt = ThreadLocal.withInitial(() -> new long[] {0});
        ThreadLocal<String[]> held = ThreadLocal.withInitial(() -> new String[1]);
        return () -> {
            long now = System.nanoTime();
            long refresh = (REFRESH_MILLIS - 10 + ThreadLocalRandom.current().nextLong(20)) * 1_000_000;
            if (held.get()[0] == null || now - readAt.get()[0] > refresh) {
                try {
                    held.get()[0] = h.currentKey(arn);
                    readAt.get()[0] = now;
                } catch (RuntimeException e) {
                    if (held.get()[0] == null) {
                        throw e; // like a cache with nothing cached yet
                    }
                }
            }
            return held.get()[0];
        };
    }
}
