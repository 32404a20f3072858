package dev.secretrotator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.RotatorConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {
    private static final RotatorConfig PRODUCTION = RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "api.vendor.example"));
    private static final RotatorConfig TESTS = RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "api.vendor.example",
            "ROTATOR_ALLOW_INSECURE_LOOPBACK", "true"));

    @Test
    void check_whenPlainHttpToLoopbackWithoutTheTestSetting_refusesNamingTheSetting() {
        // GIVEN a function configured as in production (the setting is absent)
        // WHEN / THEN plain http to a loopback address (inside Lambda: the Runtime API) is refused
        for (String url : new String[] {"http://127.0.0.1:9001", "http://localhost:9001", "http://[::1]:9001"}) {
            assertThatThrownBy(() -> Endpoints.check(url, "endpoint", PRODUCTION))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("must use https")
                    .hasMessageContaining("Runtime API")
                    .hasMessageContaining("ROTATOR_ALLOW_INSECURE_LOOPBACK=true, a setting for tests only");
        }
    }

    @Test
    void check_whenHttpsToLoopbackWithoutTheTestSetting_refuses() {
        assertThatThrownBy(() -> Endpoints.check("https://127.0.0.1:8443", "endpoint", PRODUCTION))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names the loopback address '127.0.0.1'")
                .hasMessageContaining("ROTATOR_ALLOW_INSECURE_LOOPBACK");
    }

    @Test
    void check_whenPlainHttpToLoopbackWithTheTestSetting_allowsIt() {
        assertThat(Endpoints.check("http://127.0.0.1:9001", "endpoint", TESTS).getPort()).isEqualTo(9001);
        assertThat(Endpoints.check("http://localhost:9001/base", "endpoint", TESTS).getHost()).isEqualTo("localhost");
    }

    @Test
    void check_whenTheTestSettingIsOn_stillRefusesPlainHttpToOtherHosts() {
        assertThatThrownBy(() -> Endpoints.check("http://api.vendor.example", "endpoint", TESTS))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must use https");
    }

    @Test
    void check_whenHttpsToAnAllowedHost_allowsIt_andOtherHostsAreRefused() {
        assertThat(Endpoints.check("https://api.vendor.example", "endpoint", PRODUCTION).getHost()).isEqualTo("api.vendor.example");
        assertThatThrownBy(() -> Endpoints.check("https://evil.example", "endpoint", PRODUCTION))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ROTATOR_ALLOWED_ENDPOINT_HOSTS");
    }

    @Test
    void fromEnv_whenTheSettingIsNotABoolean_failsNamingIt() {
        assertThatThrownBy(() -> RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOW_INSECURE_LOOPBACK", "yes")))
                .hasMessageContaining("ROTATOR_ALLOW_INSECURE_LOOPBACK must be true or false");
        assertThat(RotatorConfig.defaults().allowInsecureLoopback()).isFalse();
    }
}
