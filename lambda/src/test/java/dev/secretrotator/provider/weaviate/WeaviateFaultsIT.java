package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A failure injected at each Weaviate call a rotation makes, then the service's retry: the
 * rotation completes, and {@code AWSCURRENT} holds a working key throughout (checked at every
 * step boundary and continuously by a watcher thread).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class WeaviateFaultsIT {
    WeaviateTarget target;
    WeaviateHarness h;
    String userA;
    String userB;

    @BeforeEach
    void setUp(MotoServer moto) {
        target = WeaviateTarget.start();
        target.server();
        h = new WeaviateHarness(moto, target);
        userA = target.user("app_a");
        userB = target.user("app_b");
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    /**
     * @param rotation 1: the first rotation (creates app_b); 2: the second (rotates app_a's key)
     * @param step the step during which the call fails (the fault is armed just before it)
     * @param method the HTTP method of the call that fails once
     * @param path the path of that call; {A} and {B} stand for the two users
     */
    @ParameterizedTest(name = "rotation {0}, {1}: {2} {3} answers {4}")
    @CsvSource({
        "1, createSecret, GET,  /v1/users/db/{A},            500",
        "1, createSecret, GET,  /v1/users/db/{B},            503",
        "1, createSecret, POST, /v1/users/db/{B},            500",
        "1, setSecret,    GET,  /v1/users/db/{B},            500",
        "1, setSecret,    GET,  /v1/users/db/{A},            500",
        "1, setSecret,    POST, /v1/authz/users/{B}/assign,  500",
        "1, testSecret,   GET,  /v1/users/own-info,          503",
        "1, testSecret,   GET,  /v1/users/db/{B},            500",
        "1, testSecret,   GET,  /v1/users/db/{A},            500",
        "2, createSecret, GET,  /v1/users/db/{B},            500",
        "2, createSecret, GET,  /v1/users/db/{A},            500",
        "2, createSecret, POST, /v1/users/db/{A}/rotate-key, 500",
        "2, createSecret, POST, /v1/users/db/{A}/rotate-key, 502",
        "2, setSecret,    GET,  /v1/users/db/{A},            500",
        "2, setSecret,    GET,  /v1/users/db/{B},            500",
        "2, testSecret,   GET,  /v1/users/own-info,          500",
        "2, testSecret,   GET,  /v1/users/db/{A},            500",
        "2, testSecret,   GET,  /v1/users/db/{B},            500"})
    void failureAtAWeaviateCall_thenTheServicesRetry_completes_withAWorkingCurrentKeyThroughout(
            int rotation, String step, String method, String path, int status) throws InterruptedException {
        // GIVEN a secret (rotated once already for the second rotation's cases)
        String arn = h.alternatingSecret("weaviate/faults", userA, userB, Map.of());
        if (rotation == 2) {
            h.rotator.driver.rotate(arn);
            h.clock.advance(Duration.ofHours(1));
        }
        String expectedUser = rotation == 1 ? userB : userA;
        String failingPath = path.replace("{A}", userA).replace("{B}", userB);

        // WHEN the service rotates, the call failing once during the step, while a watcher checks AWSCURRENT
        ServiceDriver.Result result;
        try (Watcher watcher = new Watcher(arn)) {
            result = h.rotator.driver.rotate(arn, (s, phase, attempt) -> {
                assertThat(target.works(h.currentKey(arn))).as("AWSCURRENT works %s %s", phase, s).isTrue();
                if (attempt == 1 && phase == ServiceDriver.Phase.BEFORE && s.equals(step)) {
                    target.server().failNext(method, failingPath, status);
                }
            });

            // THEN the rotation completed, and AWSCURRENT always worked
            assertThat(watcher.checks.get()).isPositive();
            assertThat(watcher.failures.get()).isZero();
            System.out.printf("weaviate fault in %s at %s %s (%d), rotation %d: %d attempt(s), %d AWSCURRENT checks, 0 failed%n",
                    step, method, path, status, rotation, result.attempts(), watcher.checks.get());
        }
        // a failed management call fails its step (the service retries); own-info polling absorbs one
        assertThat(result.attempts()).isEqualTo(path.contains("own-info") ? 1 : 2);
        assertThat(result.failures()).allSatisfy(e -> assertThat(e).hasMessageContaining("answered " + status + " to "
                + method + " " + failingPath));
        assertThat(h.value(arn, "AWSCURRENT")).containsEntry("userId", expectedUser);
        assertThat(target.ownInfo(h.currentKey(arn))).as("own-info answers 200: the fault was consumed").isEqualTo(200);
    }

    /** Checks continuously that the key in AWSCURRENT authenticates (without counting as a use). */
    final class Watcher implements AutoCloseable {
        final AtomicLong checks = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Watcher(String arn) {
            thread = new Thread(() -> {
                while (running.get()) {
                    String key = h.currentKey(arn);
                    checks.incrementAndGet();
                    if (!target.server().isKeyValid(key)) {
                        failures.incrementAndGet();
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "current-key-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
