package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** design.md §2 and issue 2 item 5: every bad input gives a clear error and writes nothing. */
@ExtendWith({Moto.class, LeakCheck.class})
class RotationErrorsIT {
    static final String VALID = "{\"provider\":\"random-password\",\"password\":\"initial-password-1\"}";

    TestRotator rotator;

    @BeforeEach
    void setUp(MotoServer moto) {
        rotator = new TestRotator(moto);
    }

    @Test
    void rotationNotEnabled_isRefused() {
        String arn = rotator.createSecret("errors/disabled", VALID);
        String token = UUID.randomUUID().toString();

        RotationException e = refused(arn, "createSecret", token);

        assertThat(e).isInstanceOf(RotationStateException.class).hasMessageContaining("rotation is not enabled");
        assertNamesSecretStepAndVersion(e, arn, "createSecret", token);
    }

    @Test
    void unknownToken_isRefused() {
        String arn = rotator.createSecret("errors/unknown-token", VALID);
        rotator.driver.startRotation(arn);
        String token = UUID.randomUUID().toString();

        RotationException e = refused(arn, "setSecret", token);

        assertThat(e).isInstanceOf(RotationStateException.class).hasMessageContaining("not a version of this secret");
        assertNamesSecretStepAndVersion(e, arn, "setSecret", token);
    }

    @Test
    void tokenWithoutPending_isRefused() {
        String arn = rotator.createSecret("errors/not-pending", VALID);
        String first = rotator.stages(arn).keySet().iterator().next();
        rotator.driver.rotate(arn);
        rotator.driver.startRotation(arn);

        RotationException e = refused(arn, "testSecret", first);

        assertThat(e).isInstanceOf(RotationStateException.class).hasMessageContaining("not staged AWSPENDING");
        assertNamesSecretStepAndVersion(e, arn, "testSecret", first);
    }

    @Test
    void malformedSecretJson_isRefused_withoutQuotingIt() {
        String arn = rotator.createSecret("errors/malformed", "{\"provider\":\"random-password\",\"password\":\"hunter2-secret\"");
        String token = rotator.driver.startRotation(arn);

        RotationException e = refused(arn, "createSecret", token);

        assertThat(e).isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("hunter2");
        assertNamesSecretStepAndVersion(e, arn, "createSecret", token);
    }

    @Test
    void secretThatIsNotAnObject_isRefused() {
        String arn = rotator.createSecret("errors/array", "[\"random-password\"]");
        String token = rotator.driver.startRotation(arn);

        assertThat(refused(arn, "createSecret", token)).hasMessageContaining("must be a JSON object, got a JSON array");
    }

    @Test
    void unknownProvider_isRefused_listingTheKnownOnes() {
        String arn = rotator.createSecret("errors/unknown-provider", "{\"provider\":\"oracle-wallet\",\"password\":\"pw-123456\"}");
        String token = rotator.driver.startRotation(arn);

        RotationException e = refused(arn, "createSecret", token);

        assertThat(e).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown provider 'oracle-wallet'").hasMessageContaining("random-password");
    }

    @Test
    void missingProvider_isRefused() {
        String arn = rotator.createSecret("errors/no-provider", "{\"password\":\"pw-123456\"}");
        String token = rotator.driver.startRotation(arn);

        assertThat(refused(arn, "createSecret", token)).hasMessageContaining("no \"provider\" field");
    }

    @Test
    void providerOfTheWrongType_isRefused() {
        String arn = rotator.createSecret("errors/provider-type", "{\"provider\":42}");
        String token = rotator.driver.startRotation(arn);

        assertThat(refused(arn, "createSecret", token)).hasMessageContaining("\"provider\" must be a string, got a number");
    }

    @Test
    void unknownStep_isRefused() {
        String arn = rotator.createSecret("errors/step", VALID);
        String token = rotator.driver.startRotation(arn);
        Map<String, Object> before = snapshot();

        Throwable e = catchThrowable(() -> rotator.driver.invokeRaw(
                EventFixtures.rotation("createSecret", arn, token, null).replace("createSecret", "deleteSecret")));

        assertThat(e).isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown step 'deleteSecret'");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void eventWithoutToken_isRefused_namingTheSecret() {
        String arn = rotator.createSecret("errors/no-token", VALID);

        Throwable e = catchThrowable(() -> rotator.driver.invokeRaw(
                "{\"Step\":\"createSecret\",\"SecretId\":\"" + arn + "\"}"));

        assertThat(e).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(arn).hasMessageContaining("no ClientRequestToken");
    }

    @Test
    void eventThatIsNotJson_isRefused_withoutQuotingIt() {
        Throwable e = catchThrowable(() -> rotator.driver.invokeRaw("Step=createSecret&token=abcdef123456"));

        assertThat(e).isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("abcdef123456");
    }

    @Test
    void secretThatDoesNotExist_isRefused() {
        String missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf";

        RotationException e = refused(missing, "createSecret", UUID.randomUUID().toString());

        assertThat(e).isInstanceOf(RotationStateException.class).hasMessageContaining("ResourceNotFoundException");
    }

    /** Runs one step that must fail, and checks nothing on the emulator changed. */
    private RotationException refused(String secretId, String step, String token) {
        Map<String, Object> before = snapshot();
        int puts = rotator.faults.calls("putSecretValue");
        int stageUpdates = rotator.faults.calls("updateSecretVersionStage");
        Throwable thrown = catchThrowable(() -> rotator.driver.invoke(step, secretId, token));
        assertThat(thrown).isInstanceOf(RotationException.class);
        assertThat(snapshot()).as("state after a refused step").isEqualTo(before);
        assertThat(rotator.faults.calls("putSecretValue")).isEqualTo(puts);
        assertThat(rotator.faults.calls("updateSecretVersionStage")).isEqualTo(stageUpdates);
        return (RotationException) thrown;
    }

    private static void assertNamesSecretStepAndVersion(RotationException e, String arn, String step, String token) {
        assertThat(e.getMessage()).contains("secret " + arn).contains("step " + step).contains("version " + token);
    }

    /** Every secret's labels and every version's value, for before/after comparison. */
    private Map<String, Object> snapshot() {
        Map<String, Object> state = new TreeMap<>();
        rotator.client.listSecrets().secretList().forEach(s -> {
            rotator.client.describeSecret(b -> b.secretId(s.arn())).versionIdsToStages()
                    .forEach((v, stages) -> state.put(s.name() + "/" + v, stages + "=" + valueOf(s.arn(), v)));
        });
        return state;
    }

    private String valueOf(String arn, String version) {
        try {
            return rotator.client.getSecretValue(b -> b.secretId(arn).versionId(version)).secretString();
        } catch (RuntimeException none) {
            return "(none)";
        }
    }
}
