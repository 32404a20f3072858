package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.cdk.config.RotationConfig;
import org.junit.jupiter.api.Test;

class RotationConfigTest {

    private static final String SECRET = "{\"name\": \"App\", \"secretArn\": \"" + TestSupport.SECRET_ARN
            + "\", \"provider\": \"random-password\", \"tier\": \"high\", \"environment\": \"staging\"}";

    @Test
    void sampleConfiguration_parses() {
        RotationConfig config = RotationConfig.load(TestSupport.moduleDir().resolve("rotation-config.json"));

        assertThat(config.secrets()).hasSize(6);
        assertThat(config.iamUserPath()).isEqualTo("/rotated/");
        assertThat(config.rotationWindow()).isEqualTo(RotationWindow.local("Europe/Berlin", 10, 4));
        assertThat(config.rotationWindow().utcStartHour()).as("the same cron as the former 09:00 UTC").isEqualTo(9);
        assertThat(config.snapStart()).isFalse();
        assertThat(config.runtime()).isEqualTo(JavaRuntime.JAVA_25);
    }

    @Test
    void functionRuntime_java21_isChosenAndAnUnknownRuntimeIsRejected() {
        // GIVEN the two function sections
        String java21 = "{\"function\": {\"runtime\": \"java21\"}, \"secrets\": [" + SECRET + "]}";
        String java17 = "{\"function\": {\"runtime\": \"java17\"}, \"secrets\": [" + SECRET + "]}";

        // WHEN / THEN
        assertThat(RotationConfig.parse(java21).runtime()).isEqualTo(JavaRuntime.JAVA_21);
        assertThatThrownBy(() -> RotationConfig.parse(java17))
                .hasMessageContaining("function.runtime must be one of java21, java25, got 'java17'");
    }

    @Test
    void defaults_applyWhenOptionalKeysAreMissing() {
        RotationConfig config = RotationConfig.parse("{\"secrets\": [" + SECRET + "]}");

        assertThat(config.memorySize()).isEqualTo(1024);
        assertThat(config.timeoutSeconds()).isEqualTo(120);
        assertThat(config.runtime()).isEqualTo(JavaRuntime.JAVA_25);
        assertThat(config.rotationWindow()).isEqualTo(RotationWindow.DEFAULT);
        assertThat(config.secrets().get(0).rotateImmediatelyOnUpdate()).isFalse();
    }

    @Test
    void unknownKey_isRejectedSoATypoCannotSwitchASettingOff() {
        assertThatThrownBy(() -> RotationConfig.parse("{\"iamUserpath\": \"/x/\", \"secrets\": [" + SECRET + "]}"))
                .hasMessageContaining("unknown key 'iamUserpath' in the configuration");
    }

    @Test
    void partialSecretArn_isRejected() {
        String partial = SECRET.replace(TestSupport.SECRET_ARN, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app");

        assertThatThrownBy(() -> RotationConfig.parse("{\"secrets\": [" + partial + "]}"))
                .hasMessageContaining("secrets[0].secretArn must be a complete secret ARN")
                .hasMessageContaining("got 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app'");
    }

    @Test
    void iamProviderWithoutUserPath_isRejected() {
        String iam = SECRET.replace("random-password", "aws-iam");

        assertThatThrownBy(() -> RotationConfig.parse("{\"secrets\": [" + iam + "]}"))
                .hasMessageContaining("iamUserPath must be set (for example /rotated/) when a secret uses provider aws-iam");
    }

    @Test
    void duplicateName_isRejected() {
        assertThatThrownBy(() -> RotationConfig.parse("{\"secrets\": [" + SECRET + "," + SECRET + "]}"))
                .hasMessageContaining("secrets[1].name must be unique");
    }

    @Test
    void unknownTier_namesTheSecretAndTheAcceptedValues() {
        String bad = SECRET.replace("\"high\"", "\"critical\"");

        assertThatThrownBy(() -> RotationConfig.parse("{\"secrets\": [" + bad + "]}"))
                .hasMessageContaining("secrets[0].tier must be one of high (30), medium (60), low (90), got 'critical'");
    }

    @Test
    void emptySecrets_isRejected() {
        assertThatThrownBy(() -> RotationConfig.parse("{\"secrets\": []}"))
                .hasMessageContaining("secrets must list at least one secret, got none");
    }
}
