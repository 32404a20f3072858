package dev.secretrotator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RotatorConfigTest {

    @Test
    void defaults_matchAwsTemplatesAndTheDesign() {
        RotatorConfig config = RotatorConfig.defaults();

        assertThat(config.password()).isEqualTo(new PasswordOptions(32, ":/@\"'\\", false, false, false, false, true));
        assertThat(config.retirement()).isEqualTo(new Retirement(Duration.ofHours(24), Duration.ofHours(4), Duration.ofHours(48)));
        assertThat(config.verification()).isEqualTo(new Verification(Duration.ofSeconds(60), 3));
        assertThat(config.eventBusName()).isEqualTo("default");
        assertThat(config.secretAllowed("arn:aws:secretsmanager:us-east-1:1:secret:any")).isTrue();
    }

    @Test
    void fromEnv_readsEveryOption() {
        RotatorConfig config = RotatorConfig.fromEnv(Map.of(
                "PASSWORD_LENGTH", "20", "EXCLUDE_CHARACTERS", "abc", "EXCLUDE_NUMBERS", "true",
                "EXCLUDE_PUNCTUATION", "TRUE", "EXCLUDE_UPPERCASE", "false", "EXCLUDE_LOWERCASE", "true",
                "REQUIRE_EACH_INCLUDED_TYPE", "false", "ROTATOR_GRACE_PERIOD", "PT1H",
                "ROTATOR_ALLOWED_ENDPOINT_HOSTS", " a.example.com , b.example.com,"));

        assertThat(config.password()).isEqualTo(new PasswordOptions(20, "abc", true, true, false, true, false));
        assertThat(config.retirement().gracePeriod()).isEqualTo(Duration.ofHours(1));
        assertThat(config.allowedEndpointHosts()).containsExactly("a.example.com", "b.example.com");
    }

    @Test
    void allowList_matchesWildcards_andNothingElse() {
        RotatorConfig config = RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_SECRET_ARNS",
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*,arn:aws:secretsmanager:*:secret:exact-AbCdEf"));

        assertThat(config.secretAllowed("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-x1y2z3")).isTrue();
        assertThat(config.secretAllowed("arn:aws:secretsmanager:eu-west-1:444455556666:secret:exact-AbCdEf")).isTrue();
        assertThat(config.secretAllowed("arn:aws:secretsmanager:us-east-1:111122223333:secret:staging/db-x1y2z3")).isFalse();
        assertThat(config.secretAllowed("arn:aws:secretsmanager:us-east-1:999999999999:secret:prod/db")).isFalse();
    }

    @Test
    void malformedValues_failNamingTheVariable() {
        assertThatThrownBy(() -> RotatorConfig.fromEnv(Map.of("ROTATOR_QUIET_PERIOD", "4 hours")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("ROTATOR_QUIET_PERIOD").hasMessageContaining("PT24H");
        assertThatThrownBy(() -> RotatorConfig.fromEnv(Map.of("EXCLUDE_NUMBERS", "yes")))
                .hasMessageContaining("EXCLUDE_NUMBERS must be true or false, got 'yes'");
        assertThatThrownBy(() -> RotatorConfig.fromEnv(Map.of("PASSWORD_LENGTH", "2")))
                .hasMessageContaining("PASSWORD_LENGTH must be between 4 and 4096, got 2");
    }

    @Test
    void secretTag_isReadAsKeyEqualsValue_andASecretWithoutItIsNotAllowed() {
        RotatorConfig config = RotatorConfig.fromEnv(Map.of("ROTATOR_SECRET_TAG", "rotation-deployment=platform"));
        String arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:any-AbCdEf";

        assertThat(config.secretTag()).contains(new SecretTag("rotation-deployment", "platform"));
        assertThat(config.secretAllowed(arn, Map.of("rotation-deployment", "platform"))).isTrue();
        assertThat(config.secretAllowed(arn, Map.of("rotation-deployment", "platform-b"))).isFalse();
        assertThat(config.secretAllowed(arn, Map.of())).isFalse();
        assertThatThrownBy(() -> RotatorConfig.fromEnv(Map.of("ROTATOR_SECRET_TAG", "platform")))
                .hasMessageContaining("ROTATOR_SECRET_TAG").hasMessageContaining("key=value");
    }

    @Test
    void allowList_questionMarks_matchExactlyOneCharacter_asIamDoes() {
        RotatorConfig config = RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_SECRET_ARNS",
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/db-??????"));

        assertThat(config.secretAllowed("arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/db-AbCdEf")).isTrue();
        assertThat(config.secretAllowed("arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/db-AbCdE")).isFalse();
        assertThat(config.secretAllowed("arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/db-x-AbCdEf")).isFalse();
    }

    @Test
    void secretNamePrefixes_coverEveryPattern_orAreEmpty() {
        assertThat(RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_SECRET_ARNS",
                "arn:aws:secretsmanager:*:*:secret:team-a/*,arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf,"
                        + "arn:aws:secretsmanager:us-east-1:111122223333:secret:api-??????")).secretNamePrefixes())
                .containsExactly("team-a/", "db", "api-");
        assertThat(RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_SECRET_ARNS",
                "arn:aws:secretsmanager:*:*:secret:team-a/*,arn:aws:secretsmanager:*:*:secret:*")).secretNamePrefixes()).isEmpty();
    }

    @Test
    void profileDirectory_defaultsToTheLayerPath_andIsReadFromRotatorProfileDir() {
        assertThat(RotatorConfig.defaults().profileDirectory()).isEqualTo(Path.of("/opt/secret-rotator/profiles"));
        assertThat(RotatorConfig.fromEnv(Map.of("ROTATOR_PROFILE_DIR", " /etc/rotator/profiles ")).profileDirectory())
                .isEqualTo(Path.of("/etc/rotator/profiles"));
    }

    @Test
    void profileDirectory_thatIsRelative_failsNamingTheVariable() {
        assertThatThrownBy(() -> RotatorConfig.fromEnv(Map.of("ROTATOR_PROFILE_DIR", "profiles")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ROTATOR_PROFILE_DIR must be an absolute path").hasMessageContaining("got 'profiles'");
    }
}
