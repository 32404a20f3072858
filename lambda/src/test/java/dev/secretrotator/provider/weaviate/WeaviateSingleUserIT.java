package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The single-user strategy: rotate-key of the one user, with a warning about its gap. */
@ExtendWith({Moto.class, LeakCheck.class})
class WeaviateSingleUserIT {
    WeaviateTarget target;
    WeaviateHarness h;

    @BeforeEach
    void setUp(MotoServer moto) {
        target = WeaviateTarget.start();
        h = new WeaviateHarness(moto, target);
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    @Test
    void rotation_replacesTheUsersKey_andWarnsAboutTheGap() {
        // GIVEN a single-user secret
        String user = target.user("solo");
        String arn = h.singleUserSecret("weaviate/single", user, Map.of("team", "search"));
        String before = h.currentKey(arn);

        // WHEN it rotates
        h.rotator.driver.rotate(arn);

        // THEN the same user holds a new working key, the old one is dead, and the log warned
        Map<String, Object> current = h.value(arn, "AWSCURRENT");
        assertThat(current).containsEntry("userId", user).containsEntry("strategy", "single-user").containsEntry("team", "search");
        assertThat(target.ownInfo((String) current.get("apiKey"))).isEqualTo(200);
        assertThat(target.works(before)).isFalse();
        assertThat(LeakCheck.captured()).contains("\"level\":\"WARN\"").contains("brief gap");
    }

    @Test
    void dbEnvUser_isRefusedClearly_andItsKeyKeepsWorking() {
        // GIVEN a single-user secret naming a user configured by Weaviate's environment
        target.server();
        String arn = h.rotator.createSecret("weaviate/env-single", Json.write(Map.of("provider", "weaviate",
                "endpoint", target.baseUrl(), "strategy", "single-user", "userId", WeaviateTarget.ENV_USER,
                "apiKey", "not-the-real-key-000", "adminSecretArn", h.adminArn)));
        String token = h.rotator.driver.startRotation(arn);

        // WHEN createSecret runs
        // THEN it refuses, naming the user type, and writes nothing
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("db_env_user");
        assertThat(h.valueOf(arn, token)).isEmpty();
    }

    @Test
    void deactivatedUser_isRefused_beforeItsKeyIsRotated() {
        // GIVEN a single-user secret whose user was deactivated
        String user = target.user("sleepy");
        String arn = h.singleUserSecret("weaviate/sleepy", user, Map.of());
        target.call("POST", "/v1/users/db/" + user + "/deactivate", "{\"revoke_key\":false}", target.adminKey());
        String token = h.rotator.driver.startRotation(arn);

        // WHEN createSecret runs
        // THEN it refuses: the new key would not work
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("deactivated");
        assertThat(h.valueOf(arn, token)).isEmpty();
    }

    @Test
    void sweep_hasNothingToRetire() {
        // GIVEN a rotated single-user secret
        String arn = h.singleUserSecret("weaviate/single-sweep", target.user("solo2"), Map.of());
        h.rotator.driver.rotate(arn);

        // WHEN the sweep runs
        Map<String, Object> line = h.sweep(arn);

        // THEN it reports nothing to do
        assertThat(line).containsEntry("provider", "weaviate").containsEntry("action", "NOTHING");
    }

    @ParameterizedTest(name = "{0} {1} answers {2}")
    @CsvSource({
        "GET,  /v1/users/db/{U},            500",
        "POST, /v1/users/db/{U}/rotate-key, 503",
        "GET,  /v1/users/own-info,          500"})
    void failureAtAWeaviateCall_thenTheServicesRetry_endsWithAWorkingCurrentKey(String method, String path, int status) {
        // GIVEN a single-user secret and a Weaviate call that fails once
        String user = target.user("solo3");
        String arn = h.singleUserSecret("weaviate/single-faults", user, Map.of());
        target.server().failNext(method, path.replace("{U}", user), status);

        // WHEN the service rotates, retrying a failed attempt
        ServiceDriver.Result result = h.rotator.driver.rotate(arn);

        // THEN it completes and AWSCURRENT holds a working key
        assertThat(result.attempts()).isEqualTo(path.contains("own-info") ? 1 : 2);
        assertThat(target.ownInfo(h.currentKey(arn))).isEqualTo(200);
    }
}
