package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.weaviate.WeaviateSecret.Strategy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeaviateSecretTest {
    static final RotatorConfig CONFIG = RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "weaviate.example.com"));

    static Map<String, Object> alternating() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", "weaviate");
        m.put("endpoint", "https://weaviate.example.com/");
        m.put("userId", "app_a");
        m.put("alternateUserId", "app_b");
        m.put("apiKey", "key-of-app-a");
        m.put("adminSecretArn", "arn:aws:secretsmanager:us-east-1:111122223333:secret:weaviate-admin");
        return m;
    }

    static WeaviateSecret parse(Map<String, Object> fields) {
        return WeaviateSecret.parse(SecretValue.of(fields), CONFIG);
    }

    static Map<String, Object> with(String field, Object value) {
        Map<String, Object> m = alternating();
        if (value == null) {
            m.remove(field);
        } else {
            m.put(field, value);
        }
        return m;
    }

    @Test
    void parse_withAlternateUser_defaultsToAlternatingUsers_andTheFunctionsSettings() {
        // WHEN the example secret is parsed
        WeaviateSecret secret = parse(alternating());

        // THEN alternating-users with the admin key's default field and the function's timings
        assertThat(secret.strategy()).isEqualTo(Strategy.ALTERNATING_USERS);
        assertThat(secret.endpoint()).hasToString("https://weaviate.example.com");
        assertThat(secret.idleUserId()).isEqualTo("app_b");
        assertThat(secret.adminKeyField()).isEqualTo("apiKey");
        assertThat(secret.retirement()).isEqualTo(CONFIG.retirement());
        assertThat(secret.verification()).isEqualTo(CONFIG.verification());
    }

    @Test
    void parse_withoutAlternateUserOrStrategy_isRefused_namingBothChoices() {
        assertThatThrownBy(() -> parse(with("alternateUserId", null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("alternateUserId").hasMessageContaining("\"strategy\": \"single-user\"");
    }

    @Test
    void parse_singleUserExplicitly_needsNoAlternate() {
        Map<String, Object> m = with("alternateUserId", null);
        m.put("strategy", "single-user");
        assertThat(parse(m).strategy()).isEqualTo(Strategy.SINGLE_USER);
    }

    @Test
    void parse_alternatingWithoutAlternate_orTheSameUserTwice_isRefused() {
        Map<String, Object> m = with("alternateUserId", null);
        m.put("strategy", "alternating-users");
        assertThatThrownBy(() -> parse(m)).isInstanceOf(InvalidInputException.class).hasMessageContaining("alternateUserId");
        assertThatThrownBy(() -> parse(with("alternateUserId", "app_a")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("two different users");
    }

    @Test
    void parse_unknownStrategy_orInvalidUserName_isRefused() {
        assertThatThrownBy(() -> parse(with("strategy", "round-robin")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("alternating-users");
        assertThatThrownBy(() -> parse(with("userId", "../admin")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("\"userId\" is not a valid Weaviate user name");
    }

    @Test
    void parse_endpointNotHttpsOrNotAllowListed_isRefused() {
        assertThatThrownBy(() -> parse(with("endpoint", "http://weaviate.example.com")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> parse(with("endpoint", "https://attacker.example.net")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ROTATOR_ALLOWED_ENDPOINT_HOSTS");
        assertThatThrownBy(() -> parse(with("endpoint", "http://127.0.0.1:8080")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ROTATOR_ALLOW_INSECURE_LOOPBACK");
        RotatorConfig tests = RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOW_INSECURE_LOOPBACK", "true"));
        assertThat(WeaviateSecret.parse(SecretValue.of(with("endpoint", "http://127.0.0.1:8080")), tests).endpoint())
                .hasToString("http://127.0.0.1:8080");
    }

    @Test
    void parse_withoutAdminSecret_isRefused_unlessSelfManaged_whichSingleUserCannotBe() {
        assertThatThrownBy(() -> parse(with("adminSecretArn", null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("adminSecretArn");

        Map<String, Object> self = with("adminSecretArn", null);
        self.put("selfManaged", true);
        assertThat(parse(self).selfManaged()).isTrue();

        self.put("strategy", "single-user");
        assertThatThrownBy(() -> parse(self)).isInstanceOf(InvalidInputException.class).hasMessageContaining("single-user");
    }

    @Test
    void parse_perSecretRetirementAndVerification_overrideTheFunctionsDefaults() {
        // GIVEN a secret overriding the quiet period and the verification
        Map<String, Object> m = with("retirement", Map.of("quietPeriod", "PT1S"));
        m.put("verification", Map.of("timeout", "PT5S", "consecutiveSuccesses", 2));

        // WHEN parsed
        WeaviateSecret secret = parse(m);

        // THEN the overrides apply and the rest comes from the function
        assertThat(secret.retirement().quietPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(secret.retirement().gracePeriod()).isEqualTo(CONFIG.retirement().gracePeriod());
        assertThat(secret.verification().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(secret.verification().consecutiveSuccesses()).isEqualTo(2);
    }

    @Test
    void parse_badDurationOrCount_isRefused_namingTheField() {
        assertThatThrownBy(() -> parse(with("retirement", Map.of("gracePeriod", "1 day"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("retirement.gracePeriod");
        assertThatThrownBy(() -> parse(with("verification", Map.of("consecutiveSuccesses", 0))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("verification.consecutiveSuccesses");
    }

    @Test
    void parse_missingKey_isRefused_withoutQuotingValues() {
        assertThatThrownBy(() -> parse(with("apiKey", null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("\"apiKey\"");
    }
}
