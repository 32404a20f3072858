package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;

/** design.md §2 against moto, through the real handler and the service-side driver. */
@ExtendWith({Moto.class, LeakCheck.class})
class RotationProtocolIT {
    static final String SECRET = "{\"provider\":\"random-password\",\"username\":\"app\",\"password\":\"initial-password-1\","
            + "\"host\":\"db.internal\",\"port\":5432,\"options\":{\"ssl\":true}}";

    TestRotator rotator;
    String arn;

    @BeforeEach
    void setUp(MotoServer moto) {
        rotator = new TestRotator(moto);
        arn = rotator.createSecret("protocol/db", SECRET);
    }

    @Test
    void rotation_movesCurrentToNewVersion_keepsOldAsPrevious_andUnknownFields() {
        // GIVEN the secret's first version
        String first = currentVersion();

        // WHEN Secrets Manager rotates it
        ServiceDriver.Result result = rotator.driver.rotate(arn);

        // THEN the new version is current, the old one previous, and nothing is pending
        Map<String, List<String>> stages = rotator.stages(arn);
        assertThat(stages.get(result.token())).containsExactly("AWSCURRENT");
        assertThat(stages.get(first)).containsExactly("AWSPREVIOUS");
        assertThat(stages.values()).noneMatch(s -> s.contains("AWSPENDING"));
        Map<String, Object> current = Json.object(rotator.value(arn, "AWSCURRENT"));
        assertThat(current.get("password")).asString().hasSize(32).isNotEqualTo("initial-password-1");
        assertThat(current).containsEntry("username", "app").containsEntry("host", "db.internal")
                .containsEntry("port", 5432).containsEntry("options", Map.of("ssl", true));
        assertThat(result.attempts()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"createSecret", "setSecret", "testSecret", "finishSecret"})
    void eachStep_repeated_givesTheSameResult(String repeated) {
        // GIVEN a started rotation
        String token = rotator.driver.startRotation(arn);

        // WHEN every step runs, the chosen one twice
        for (String step : EventFixtures.STEPS) {
            rotator.driver.invoke(step, arn, token);
            if (step.equals(repeated)) {
                rotator.driver.invoke(step, arn, token);
            }
        }

        // THEN one new current version, two versions in all, the pending value written once
        assertThat(rotator.stages(arn).get(token)).containsExactly("AWSCURRENT");
        assertThat(rotator.stages(arn)).hasSize(2);
        assertThat(rotator.faults.calls("putSecretValue")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"createSecret", "setSecret", "testSecret", "finishSecret"})
    void step_forTheVersionAlreadyCurrent_isNoOp(String step) {
        // GIVEN a completed rotation
        String token = rotator.driver.rotate(arn).token();
        String before = rotator.value(arn, "AWSCURRENT");
        Map<String, List<String>> stagesBefore = rotator.stages(arn);

        // WHEN a step for that (now current) version arrives again
        rotator.driver.invoke(step, arn, token);

        // THEN nothing changes
        assertThat(rotator.value(arn, "AWSCURRENT")).isEqualTo(before);
        assertThat(rotator.stages(arn)).isEqualTo(stagesBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"createSecret", "setSecret", "testSecret", "finishSecret"})
    void failureAfterEachStep_thenServiceRetry_endsWithExactlyOneNewCurrent(String step) {
        // GIVEN the first version
        String first = currentVersion();

        // WHEN the rotation fails right after the step and the service retries
        ServiceDriver.Result result = rotator.driver.rotate(arn, ServiceDriver.Fault.once(step, ServiceDriver.Phase.AFTER));

        // THEN the retry completes it: one new current, the first previous, nothing pending
        assertThat(result.attempts()).isEqualTo(2);
        Map<String, List<String>> stages = rotator.stages(arn);
        assertThat(stages).hasSize(2);
        assertThat(stages.get(result.token())).containsExactly("AWSCURRENT");
        assertThat(stages.get(first)).containsExactly("AWSPREVIOUS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BEFORE_CALL", "AFTER_CALL"})
    void crashAroundPutSecretValue_thenRetry_writesOnePendingValue(String when) {
        // GIVEN PutSecretValue fails once, before reaching the service or after it stored the value
        rotator.faults.fail("putSecretValue", 1, dev.secretrotator.testing.FaultInjector.When.valueOf(when),
                () -> software.amazon.awssdk.core.exception.SdkClientException.create("connection reset"));

        // WHEN the service rotates, retrying the failed attempt
        ServiceDriver.Result result = rotator.driver.rotate(arn);

        // THEN the rotation completes with exactly one new version
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(rotator.stages(arn)).hasSize(2);
        assertThat(rotator.stages(arn).get(result.token())).containsExactly("AWSCURRENT");
    }

    @Test
    void rotationToken_isPassedToPutSecretValue() {
        // WHEN a rotation runs with events that carry a RotationToken
        rotator.driver.rotate(arn);

        // THEN PutSecretValue carried the token Secrets Manager sent with createSecret
        List<PutSecretValueRequest> puts = rotator.faults.requests().stream()
                .filter(PutSecretValueRequest.class::isInstance).map(PutSecretValueRequest.class::cast).toList();
        assertThat(puts).hasSize(1);
        assertThat(rotator.driver.rotationTokensSent()).contains(puts.get(0).rotationToken());
    }

    @Test
    void everyRead_namesAVersionStageOrId() {
        // WHEN a rotation runs
        rotator.driver.rotate(arn);

        // THEN no GetSecretValue relied on the default version
        List<GetSecretValueRequest> reads = rotator.faults.requests().stream()
                .filter(GetSecretValueRequest.class::isInstance).map(GetSecretValueRequest.class::cast).toList();
        assertThat(reads).isNotEmpty().allMatch(r -> r.versionStage() != null || r.versionId() != null);
    }

    @Test
    void secretOutsideTheAllowList_isRefused_andNothingIsWritten(MotoServer moto) {
        // GIVEN a function pinned to other secrets
        TestRotator pinned = new TestRotator(moto, Map.of("ROTATOR_ALLOWED_SECRET_ARNS", "arn:aws:secretsmanager:*:secret:prod/*"));
        String token = pinned.driver.startRotation(arn);

        // WHEN / THEN
        assertThatThrownBy(() -> pinned.driver.invoke("createSecret", arn, token))
                .isInstanceOf(RotationStateException.class)
                .hasMessageContaining("ROTATOR_ALLOWED_SECRET_ARNS").hasMessageContaining(arn);
        assertThat(pinned.faults.calls("putSecretValue")).isZero();
    }

    private String currentVersion() {
        return rotator.stages(arn).entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }
}
