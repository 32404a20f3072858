package dev.secretrotator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValueTest {

    @Test
    void parse_keepsFieldOrderAndUnknownFields_whenWrittenBack() {
        String json = "{\"provider\":\"random-password\",\"zeta\":1,\"alpha\":{\"nested\":[1,2]},\"password\":\"pw\"}";

        assertThat(SecretValue.parse(json).toJson()).isEqualTo(json);
    }

    @Test
    void with_replacesOneField_andLeavesTheOriginalUnchanged() {
        SecretValue original = SecretValue.parse("{\"password\":\"old\",\"user\":\"u\"}");

        SecretValue changed = original.with("password", "new");

        assertThat(changed.toJson()).isEqualTo("{\"password\":\"new\",\"user\":\"u\"}");
        assertThat(original.require("password")).isEqualTo("old");
    }

    @Test
    void parse_ofInvalidJson_failsWithoutQuotingTheInput() {
        assertThatThrownBy(() -> SecretValue.parse("{\"password\":\"s3cr3t-value\""))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not valid JSON").hasMessageNotContaining("s3cr3t");
    }

    @Test
    void parse_ofEmptyOrScalar_fails() {
        assertThatThrownBy(() -> SecretValue.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> SecretValue.parse("\"just-a-string\"")).hasMessageContaining("got a JSON scalar");
    }

    @Test
    void require_ofMissingOrWrongType_namesTheField() {
        SecretValue value = SecretValue.parse("{\"userName\":7}");

        assertThatThrownBy(() -> value.require("accessKeyId")).hasMessage("field \"accessKeyId\" is missing or empty");
        assertThatThrownBy(() -> value.require("userName")).hasMessage("field \"userName\" must be a string, got a number");
    }

    @Test
    void sensitiveValues_areCredentialsAtAnyDepth_notIdsOrArns() {
        SecretValue value = SecretValue.of(Map.of(
                "accessKeyId", "AKIDEXAMPLE", "secretAccessKey", "sak", "apiKey", "ak",
                "adminSecretArn", "arn:x", "nested", Map.of("password", "pw")));

        assertThat(value.sensitiveValues()).containsExactlyInAnyOrder("sak", "ak", "pw");
    }

    @Test
    void toString_showsFieldNamesOnly() {
        assertThat(SecretValue.parse("{\"password\":\"hidden-value\"}").toString())
                .isEqualTo("SecretValue[password]");
    }
}
