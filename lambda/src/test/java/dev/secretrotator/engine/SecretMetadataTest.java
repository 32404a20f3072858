package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which function rotates a secret, whether Secrets Manager invokes it directly or through an alias (SnapStart). */
class SecretMetadataTest {
    static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:rotator";

    @Test
    void rotatedBy_matchesTheFunction_unqualifiedOrThroughAVersionOrAlias() {
        assertThat(rotatedBy(FUNCTION).rotatedBy("rotator")).isTrue();
        assertThat(rotatedBy(FUNCTION + ":live").rotatedBy("rotator")).isTrue();
        assertThat(rotatedBy(FUNCTION + ":7").rotatedBy("rotator")).isTrue();
    }

    @Test
    void rotatedBy_rejectsOtherFunctions_andSecretsWithoutRotation() {
        assertThat(rotatedBy(FUNCTION + "-other:live").rotatedBy("rotator")).isFalse();
        assertThat(rotatedBy("arn:aws:lambda:eu-west-1:123456789012:function:team-rotator").rotatedBy("rotator")).isFalse();
        assertThat(rotatedBy(FUNCTION).rotatedBy("rot")).isFalse();
        assertThat(new SecretMetadata("arn", "name", false, Optional.empty(), Map.of(), Map.of(), Optional.empty(),
                Optional.empty()).rotatedBy("rotator")).isFalse();
    }

    private static SecretMetadata rotatedBy(String lambdaArn) {
        return new SecretMetadata("arn", "name", true, Optional.of(lambdaArn), Map.of(), Map.of(), Optional.empty(), Optional.empty());
    }
}
