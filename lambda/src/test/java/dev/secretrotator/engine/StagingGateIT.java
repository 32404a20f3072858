package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.TestRotator;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue 17 item 8 on moto: a production secret tagged with its staging twin rotates only while the
 * twin's last rotation succeeded and is not overdue.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class StagingGateIT {
    static final String VALUE = "{\"provider\":\"random-password\",\"password\":\"initial-password-1\"}";

    MutableClock clock = new MutableClock();
    TestRotator rotator;
    String staging;
    String production;

    @BeforeEach
    void setUp(MotoServer moto) {
        rotator = new TestRotator(moto, java.util.Map.of(), ProviderServices.builder().clock(clock));
        staging = rotator.createSecret("staging/db", VALUE);
        production = rotator.createSecret("production/db", VALUE);
        rotator.client.tagResource(b -> b.secretId(production)
                .tags(t -> t.key(StagingGate.TWIN_TAG).value("staging/db")));
    }

    @Test
    void createSecret_whenTheTwinsLastRotationSucceeded_rotates() {
        // GIVEN a staging twin that rotated successfully
        rotator.driver.rotate(staging);

        // WHEN production rotates
        String token = rotator.driver.rotate(production).token();

        // THEN it went through
        assertThat(rotator.stages(production).get(token)).containsExactly("AWSCURRENT");
    }

    @Test
    void createSecret_whenTheTwinsLastRotationFailed_refuses_writesNothing_andCounts() {
        // GIVEN a staging twin whose last rotation failed, leaving its AWSPENDING version behind
        rotator.driver.rotate(staging);
        rotator.driver.startRotation(staging);
        String token = rotator.driver.startRotation(production);
        int writes = rotator.faults.calls("putSecretValue") + rotator.faults.calls("tagResource");

        // WHEN production's createSecret runs
        Throwable refused = catchThrowable(() -> rotator.driver.invoke("createSecret", production, token));

        // THEN it is refused, naming the twin and why, counted, and nothing was written
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining("step createSecret")
                .hasMessageContaining("gated by staging twin staging/db")
                .hasMessageContaining("its last rotation failed or is still running")
                .hasMessageContaining("untag-resource");
        assertThat(LeakCheck.captured()).contains("\"RotationGated\":1.0");
        assertThat(rotator.faults.calls("putSecretValue") + rotator.faults.calls("tagResource")).isEqualTo(writes);
    }

    @Test
    void createSecret_whenTheTwinWasNeverRotated_refuses() {
        // GIVEN a staging twin that never rotated (rotation never enabled)
        String token = rotator.driver.startRotation(production);

        // WHEN production's createSecret runs
        Throwable refused = catchThrowable(() -> rotator.driver.invoke("createSecret", production, token));

        // THEN it is refused
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining("gated by staging twin")
                .hasMessageContaining("its rotation is not enabled");
    }

    @Test
    void createSecret_whenTheTwinIsOverdue_refuses() {
        // GIVEN a staging twin (30-day rule) that rotated once, 40 days ago by now
        rotator.driver.rotate(staging);
        clock.advance(Duration.ofDays(40));
        String token = rotator.driver.startRotation(production);

        // WHEN production's createSecret runs
        Throwable refused = catchThrowable(() -> rotator.driver.invoke("createSecret", production, token));

        // THEN it is refused: the twin missed its scheduled rotation
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining("it is overdue");
    }

    @Test
    void createSecret_whenTheTwinDoesNotExist_refusesSayingWhatIsNeeded() {
        // GIVEN production names a twin that does not exist
        rotator.client.tagResource(b -> b.secretId(production).tags(t -> t.key(StagingGate.TWIN_TAG).value("staging/gone")));
        String token = rotator.driver.startRotation(production);

        // WHEN production's createSecret runs
        Throwable refused = catchThrowable(() -> rotator.driver.invoke("createSecret", production, token));

        // THEN it is refused, saying the twin must exist and be describable
        assertThat(refused).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("it cannot be described").hasMessageContaining("secretsmanager:DescribeSecret");
    }

    @Test
    void emergencyRotation_isNotGated() {
        // GIVEN a staging twin whose last rotation failed
        rotator.driver.rotate(staging);
        rotator.driver.startRotation(staging);
        rotator.driver.enableRotation(production);
        var ops = Components.of(ProviderServices.builder().clock(clock).telemetry(Telemetry.stdout())
                .client(SecretsManagerClient.class, () -> rotator.client).build()).operations();

        // WHEN production is rotated in an emergency
        var result = ops.emergency().run(production);

        // THEN it rotated anyway
        String version = (String) result.get("versionId");
        assertThat(version).startsWith(StagingGate.EMERGENCY_TOKEN_PREFIX);
        assertThat(rotator.stages(production).get(version)).isEqualTo(List.of("AWSCURRENT"));
    }
}
