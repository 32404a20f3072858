package dev.secretrotator.provider;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminBindingTest {
    static final String ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/search-AbC123";
    static final String ADMIN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:weaviate-admin-XyZ789";
    static final AdminBinding BINDING = new AdminBinding("team-a/search", ARN, "createSecret", URI.create("https://weaviate.example.com"));

    static Map<String, String> tags(String serves, String endpoints) {
        return Map.of(AdminBinding.SERVES, serves, AdminBinding.ENDPOINTS, endpoints);
    }

    @ParameterizedTest
    @ValueSource(strings = {"team-a/search", "other team-a/search", ARN, "arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/search",
            "team-a/*", "arn:aws:secretsmanager:us-east-1:111122223333:secret:team-a/*"})
    void check_whenServesNamesTheSecret_byNameArnOrPrefix_allows(String serves) {
        assertThatCode(() -> BINDING.check(ADMIN, tags(serves, "weaviate.example.com"))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"weaviate.example.com", "WEAVIATE.example.com:443", "other.example weaviate.example.com"})
    void check_whenEndpointsListsTheHost_withOrWithoutItsPort_allows(String endpoints) {
        assertThatCode(() -> BINDING.check(ADMIN, tags("team-a/search", endpoints))).doesNotThrowAnyException();
    }

    @Test
    void check_whenTheAdminSecretHasNoTags_refusesNamingTheStepTheAdminSecretAndTheTag() {
        assertThatThrownBy(() -> BINDING.check(ADMIN, Map.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the admin secret " + ADMIN)
                .hasMessageContaining("does not serve secret 'team-a/search'")
                .hasMessageContaining("secret-rotator:serves (absent)")
                .hasMessageContaining("createSecret refused to use it")
                .hasMessageContaining("Nothing was changed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"team-b/search", "team-a/search-other", "team-a/searc", "team-b/*",
            "arn:aws:secretsmanager:us-east-1:444455556666:secret:team-a/search"})
    void check_whenServesNamesOtherSecrets_refuses(String serves) {
        assertThatThrownBy(() -> BINDING.check(ADMIN, tags(serves, "weaviate.example.com")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secret-rotator:serves '" + serves + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"weaviate.other.example", "weaviate.example.com:8443", "example.com"})
    void check_whenEndpointsDoesNotListTheHost_refusesNamingTheHost(String endpoints) {
        assertThatThrownBy(() -> BINDING.check(ADMIN, tags("team-a/search", endpoints)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("may not be sent to weaviate.example.com:443")
                .hasMessageContaining("add 'weaviate.example.com'")
                .hasMessageContaining("secret-rotator:endpoints");
    }

    @Test
    void check_whenTheEndpointsTagIsMissing_refuses() {
        assertThatThrownBy(() -> BINDING.check(ADMIN, Map.of(AdminBinding.SERVES, "team-a/search")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("secret-rotator:endpoints (absent)");
    }
}
