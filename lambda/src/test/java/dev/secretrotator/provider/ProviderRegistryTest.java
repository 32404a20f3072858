package dev.secretrotator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.provider.password.RandomPasswordProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    @Test
    void load_findsTheProvidersListedForServiceLoader() {
        assertThat(ProviderRegistry.load().names()).contains("random-password");
    }

    @Test
    void forSecret_selectsByTheProviderField() {
        RotationProvider p = ProviderRegistry.load().forSecret(SecretValue.parse("{\"provider\":\"random-password\"}"));

        assertThat(p).isInstanceOf(RandomPasswordProvider.class);
    }

    @Test
    void twoProvidersWithOneName_failLoudly() {
        assertThatThrownBy(() -> ProviderRegistry.of(List.of(new RandomPasswordProvider(), new RandomPasswordProvider())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two providers are named 'random-password'");
    }
}
