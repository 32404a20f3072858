package dev.secretrotator.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;

/** The random-password provider honours the AWS template's options. */
@ExtendWith({Moto.class, LeakCheck.class})
class RandomPasswordIT {

    @Test
    void rotation_usesThePasswordOptionsOfTheEnvironment(MotoServer moto) {
        // GIVEN a function configured like AWS's template: 20 characters, letters only
        TestRotator rotator = new TestRotator(moto, Map.of("PASSWORD_LENGTH", "20",
                "EXCLUDE_NUMBERS", "true", "EXCLUDE_PUNCTUATION", "true", "EXCLUDE_CHARACTERS", "xyzXYZ"));
        String arn = rotator.createSecret("password/options", "{\"provider\":\"random-password\",\"password\":\"p\",\"engine\":\"postgres\"}");

        // WHEN it rotates
        rotator.driver.rotate(arn);

        // THEN the password follows the options, other fields are kept, and the request asked for it
        Map<String, Object> current = Json.object(rotator.value(arn, "AWSCURRENT"));
        assertThat((String) current.get("password")).hasSize(20).matches("[a-wA-W]+");
        assertThat(current).containsEntry("engine", "postgres");
        GetRandomPasswordRequest request = rotator.faults.requests().stream()
                .filter(GetRandomPasswordRequest.class::isInstance).map(GetRandomPasswordRequest.class::cast)
                .findFirst().orElseThrow();
        assertThat(request.requireEachIncludedType()).isTrue();
        assertThat(request.excludeCharacters()).isEqualTo("xyzXYZ");
    }
}
