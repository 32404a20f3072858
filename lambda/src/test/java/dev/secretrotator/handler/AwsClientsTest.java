package dev.secretrotator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.engine.SecretStore;
import org.junit.jupiter.api.Test;

class AwsClientsTest {
    @Test
    void theSecretStoresDeadlineCap_startsFromTheClientsOwnCallTimeout() {
        // SecretStore shortens a write's call timeout near the deadline; it must never lengthen it
        assertThat(SecretStore.CALL_TIMEOUT).isEqualTo(AwsClients.API_CALL_TIMEOUT);
        assertThat(AwsClients.API_CALL_ATTEMPT_TIMEOUT).isLessThan(AwsClients.API_CALL_TIMEOUT);
    }
}
