package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.KeyConsumerFleet;
import dev.secretrotator.testing.saas.SaasTestServer;
import dev.secretrotator.testing.saas.SendGridTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A consumer fleet through 20 rotations of one profile, each followed by the sweep that revokes
 * the previous key once the grace period has passed: not one consumer call may fail. The grace
 * period is compressed: real time passes for the consumers to re-read the secret (several
 * refresh intervals), then the clock jumps past the grace period and the sweep runs.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyFleetIT {
    static final int ROTATIONS = 20;
    static final int CONSUMERS = 4;
    static final Duration REFRESH = Duration.ofMillis(100);

    final MutableClock clock = new MutableClock();
    SendGridTestServer server;
    SaasRig rig;

    @BeforeEach
    void setUp(MotoServer moto) {
        server = new SendGridTestServer(clock);
        server.propagationDelay(Duration.ofMillis(300));
        rig = new SaasRig(moto, clock);
    }

    @AfterEach
    void tearDown() {
        server.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
        server.close();
    }

    @Test
    void consumerFleet_throughTwentyRotationsAndRetirements_hasZeroFailedCalls() throws InterruptedException {
        // GIVEN a SendGrid secret and consumers that re-read it every 100 ms and call SendGrid without pause
        ApiKeys.Key first = server.seedKey("made in the console");
        String admin = rig.adminSecret("admin/sendgrid", server);
        String arn = rig.createSecret("saas/fleet", SaasRig.secret("sendgrid", server, first, admin));
        List<Long> rotationMs = new ArrayList<>();
        List<String> sweepActions = new ArrayList<>();
        int verifyCallsBefore = server.calls(SaasTestServer.Operation.VERIFY);
        KeyConsumerFleet.Figures figures;

        // WHEN it is rotated 20 times, each rotation followed by the sweep after the grace period
        try (KeyConsumerFleet fleet = new KeyConsumerFleet(CONSUMERS, REFRESH, Duration.ofSeconds(90),
                () -> rig.current(arn), server::consumerCall)) {
            for (int i = 0; i < ROTATIONS; i++) {
                long start = System.nanoTime();
                ServiceDriver.Result result = rig.driver.rotate(arn);
                rotationMs.add((System.nanoTime() - start) / 1_000_000);
                assertThat(result.attempts()).isEqualTo(1);
                Thread.sleep(REFRESH.multipliedBy(3).toMillis()); // consumers re-read AWSCURRENT
                clock.advance(Duration.ofHours(25));
                sweepActions.add((String) rig.sweep(arn).get("action"));
                clock.advance(Duration.ofHours(-25));
                assertThat(server.activeKeys()).hasSize(2); // the admin key and the current key
            }
            figures = fleet.stop();
        }

        // THEN every rotation retired its predecessor and not one consumer call failed
        Map<String, Object> current = rig.current(arn);
        long verifyCalls = server.calls(SaasTestServer.Operation.VERIFY) - verifyCallsBefore;
        System.out.printf("http-api-key fleet (sendgrid, propagation %d ms): %d rotations, mean %d ms, max %d ms,"
                        + " %d verify calls (%d refused while propagating); sweeps revoked %d keys; consumers: %s%n",
                server.propagationDelay().toMillis(), ROTATIONS,
                (long) rotationMs.stream().mapToLong(Long::longValue).average().orElse(0),
                rotationMs.stream().mapToLong(Long::longValue).max().orElse(0), verifyCalls,
                server.refusedWhilePropagating(), sweepActions.stream().filter("DEACTIVATED"::equals).count(), figures);
        assertThat(sweepActions).hasSize(ROTATIONS).containsOnly("DEACTIVATED");
        assertThat(figures.failures()).as("failures: %s", figures).isZero();
        assertThat(figures.calls()).isGreaterThan(ROTATIONS * 10L);
        assertThat(figures.distinctKeys()).isEqualTo(ROTATIONS + 1);
        assertThat(server.accepts(current)).isTrue();
        assertThat(server.isActive(first.id())).isFalse();
    }
}
