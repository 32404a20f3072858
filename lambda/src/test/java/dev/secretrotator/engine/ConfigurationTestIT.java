package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;

/**
 * Issue 17 item 7 on moto: with {@code RotateImmediately=false} the service runs testSecret alone
 * on a pending version createSecret never filled; that configuration test proves the setup and
 * writes nothing, while a rotation whose createSecret failed still fails testSecret.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class ConfigurationTestIT {
    static final String SECRET = "{\"provider\":\"random-password\",\"username\":\"app\",\"password\":\"initial-password-1\"}";

    TestRotator rotator;
    String arn;

    @BeforeEach
    void setUp(MotoServer moto) {
        rotator = new TestRotator(moto);
        arn = rotator.createSecret("config-test/db", SECRET);
    }

    @ParameterizedTest(name = "pending version holds a copy of the current value: {0}")
    @ValueSource(booleans = {true, false})
    void testSecret_onTheConfigurationTest_passes_andWritesNothing(boolean copyOfCurrent) {
        // GIVEN a secret with one current version
        Map<String, List<String>> before = rotator.stages(arn);

        // WHEN the service tests the rotation configuration (testSecret only)
        rotator.driver.testConfiguration(arn, copyOfCurrent);

        // THEN it passed, and nothing was written: no value, no stage move, no tag
        assertThat(rotator.value(arn, "AWSCURRENT")).isEqualTo(SECRET);
        assertThat(rotator.stages(arn).get(before.keySet().iterator().next())).containsExactly("AWSCURRENT");
        assertThat(rotator.stages(arn).values()).noneMatch(s -> s.contains("AWSPENDING"));
        assertThat(rotator.faults.calls("putSecretValue") + rotator.faults.calls("updateSecretVersionStage")
                + rotator.faults.calls("tagResource") + rotator.faults.calls("untagResource")).isZero();
    }

    @Test
    void testSecret_afterAFailedCreateSecret_stillFails() {
        // GIVEN a rotation whose createSecret failed storing the value
        String token = rotator.driver.startRotation(arn);
        rotator.faults.fail("putSecretValue", rotator.faults.calls("putSecretValue") + 1, FaultInjector.When.BEFORE_CALL,
                () -> InternalServiceErrorException.builder().message("injected").build());
        assertThat(catchThrowable(() -> rotator.driver.invoke("createSecret", arn, token))).isNotNull();

        // WHEN testSecret runs for that rotation
        Throwable failed = catchThrowable(() -> rotator.driver.invoke("testSecret", arn, token));

        // THEN it fails as before: the rotation must restart from createSecret
        assertThat(failed).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("createSecret has not completed").hasMessageContaining("step testSecret");
    }

    @Test
    void testSecret_onTheConfigurationTest_whenTheSecretIsInvalid_fails() {
        // GIVEN a secret whose value names no known provider
        String bad = rotator.createSecret("config-test/bad", "{\"provider\":\"no-such-provider\"}");

        // WHEN the service tests the rotation configuration
        Throwable failed = catchThrowable(() -> rotator.driver.testConfiguration(bad, true));

        // THEN the configuration test fails, naming the problem
        assertThat(failed).isInstanceOf(InvalidInputException.class).hasMessageContaining("no-such-provider");
    }

    @Test
    void finishSecret_onAnEmptyPendingVersion_stillFails() {
        // GIVEN a started rotation whose createSecret never ran
        String token = rotator.driver.startRotation(arn);

        // WHEN finishSecret runs
        Throwable failed = catchThrowable(() -> rotator.driver.invoke("finishSecret", arn, token));

        // THEN it refuses to cut over to a version without a value
        assertThat(failed).isInstanceOf(RotationStateException.class).hasMessageContaining("createSecret has not completed");
        assertThat(rotator.value(arn, "AWSCURRENT")).isEqualTo(SECRET);
    }
}
