package dev.secretrotator.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The admin secret is read once per step ({@link StepContext#memo()}), and its binding is still
 * checked at every use (issue 15 item 5).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class AdminSecretsMemoIT {
    static final String ROTATED = "arn:aws:secretsmanager:us-east-1:123456789012:secret:memo/rotated-AbCdEf";
    static final URI BOUND = URI.create("https://weaviate.example.com");

    SecretsManagerClient sm;
    ProviderServices services;
    String admin;

    @BeforeEach
    void setUp(MotoServer moto) {
        sm = moto.configure(SecretsManagerClient.builder()).build();
        services = ProviderServices.builder().client(SecretsManagerClient.class, () -> sm).build();
        LeakCheck.sensitive("admin-key-1");
        admin = sm.createSecret(b -> b.name("memo/admin").secretString("{\"apiKey\":\"admin-key-1\"}")
                .tags(t -> t.key(AdminBinding.SERVES).value("memo/rotated"),
                        t -> t.key(AdminBinding.ENDPOINTS).value(BOUND.getHost()))).arn();
    }

    @Test
    void read_withinOneStep_readsTheAdminSecretOnce() {
        // GIVEN a step that has read the admin secret
        StepContext step = context();
        assertThat(AdminSecrets.read(admin, "apiKey", binding(BOUND), step)).isEqualTo("admin-key-1");

        // WHEN the admin secret is gone, and the same step reads it again
        sm.deleteSecret(b -> b.secretId(admin).forceDeleteWithoutRecovery(true));

        // THEN the step still has what it read; a new step reads afresh, and finds nothing
        assertThat(AdminSecrets.read(admin, "apiKey", binding(BOUND), step)).isEqualTo("admin-key-1");
        assertThatThrownBy(() -> AdminSecrets.read(admin, "apiKey", binding(BOUND), context()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void read_withinOneStep_stillChecksTheBindingAtEveryUse() {
        // GIVEN a step that has read the admin secret for its bound endpoint
        StepContext step = context();
        AdminSecrets.read(admin, "apiKey", binding(BOUND), step);

        // WHEN the same step asks for it for an endpoint its tags do not list
        // THEN it is refused, from the remembered tags
        assertThatThrownBy(() -> AdminSecrets.read(admin, "apiKey", binding(URI.create("https://evil.example.net")), step))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(AdminBinding.ENDPOINTS);
    }

    private StepContext context() {
        SecretValue current = SecretValue.parse("{\"provider\":\"weaviate\"}");
        return new StepContext("memo/rotated", ROTATED, "v1", current, Optional.empty(), Optional.empty(), false,
                new FixedHistory(Instant.EPOCH, Optional.empty()), services);
    }

    private static AdminBinding binding(URI endpoint) {
        return new AdminBinding("memo/rotated", ROTATED, "createSecret", endpoint);
    }
}
