package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.AdminBinding;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The confused deputy guard of the weaviate provider: an admin secret is used only for the
 * secrets and endpoint hosts its own tags name; a refusal comes before any call to Weaviate.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class WeaviateAdminBindingIT {
    WeaviateTarget target;
    WeaviateHarness h;
    String userA;
    String userB;

    @BeforeEach
    void setUp(MotoServer moto) {
        target = WeaviateTarget.start();
        h = new WeaviateHarness(moto, target);
        userA = target.user("app_a");
        userB = target.user("app_b");
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    /** Another admin secret holding the admin key, tagged as given ("-" leaves the tag out). */
    String admin(String name, String serves, String endpoints) {
        String arn = h.rotator.createSecret(name, Json.write(Map.of("apiKey", target.adminKey())));
        if (!serves.equals("-")) {
            h.rotator.client.tagResource(b -> b.secretId(arn).tags(t -> t.key(AdminBinding.SERVES).value(serves)));
        }
        if (!endpoints.equals("-")) {
            h.rotator.client.tagResource(b -> b.secretId(arn).tags(t -> t.key(AdminBinding.ENDPOINTS).value(endpoints)));
        }
        return arn;
    }

    @ParameterizedTest(name = "serves={0} endpoints={1}")
    @CsvSource({
            "-, -, secret-rotator:serves (absent)",
            "team-b/*, HOST, does not serve secret 'team-a/search'",
            "team-a/search, -, secret-rotator:endpoints (absent)",
            "team-a/search, weaviate.team-b.example, may not be sent to",
    })
    void createSecret_whenTheAdminSecretIsNotBoundToTheSecretAndEndpoint_refusesBeforeAnyWeaviateCall(
            String serves, String endpoints, String expected) {
        // GIVEN a secret naming an admin secret whose tags do not bind it to this secret and endpoint
        String adminArn = admin("team-b/weaviate-admin", serves, endpoints.replace("HOST", target.host()));
        String arn = h.alternatingSecret("team-a/search", userA, userB, Map.of("adminSecretArn", adminArn));
        String keyA = h.currentKey(arn);
        String token = h.rotator.driver.startRotation(arn);
        long before = target.isTestServer() ? target.server().requestCount() : 0;

        // WHEN createSecret runs THEN it is refused, naming the admin secret, the step and the tag
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the admin secret " + adminArn)
                .hasMessageContaining(expected)
                .hasMessageContaining("createSecret refused to use it");

        // AND Weaviate got no request, the alternate user was not created, AWSCURRENT is unchanged
        if (target.isTestServer()) {
            assertThat(target.server().requestCount()).isEqualTo(before);
        }
        assertThat(target.userInfo(userB)).containsEntry("status", 404);
        assertThat(h.currentKey(arn)).isEqualTo(keyA);
        assertThat(h.valueOf(arn, token)).isEmpty();
    }

    @Test
    void sweepAndEmergencySweep_whenTheEndpointIsNoLongerListed_refuseWithoutTouchingTheUsers() {
        // GIVEN a rotated secret; the admin secret's owner then stops listing the endpoint host
        String adminArn = admin("team-a/weaviate-admin", "team-a/*", target.host());
        String arn = h.alternatingSecret("team-a/search", userA, userB, Map.of("adminSecretArn", adminArn));
        h.rotator.driver.rotate(arn);
        h.rotator.client.tagResource(b -> b.secretId(adminArn).tags(t -> t.key(AdminBinding.ENDPOINTS).value("weaviate.example.com")));
        String keyA = (String) h.value(arn, "AWSPREVIOUS").get("apiKey");

        // WHEN the emergency sweep runs THEN it is refused, and the previous user keeps its key
        assertThatThrownBy(() -> h.emergencySweep(arn)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("emergency sweep refused to use it").hasMessageContaining("secret-rotator:endpoints");
        assertThat(target.works(keyA)).isTrue();
        assertThat(h.sweep(arn)).containsEntry("action", "FAILED");
        assertThat(target.works(keyA)).isTrue();
        assertThat(target.userInfo(userA)).containsEntry("active", true);
    }
}
