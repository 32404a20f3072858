package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.TargetServiceException;
import dev.secretrotator.provider.Deadline;
import dev.secretrotator.provider.ProviderServices;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageResponse;

/**
 * The claim's lease accounting and release rule, against an in-memory stand-in for Secrets
 * Manager's version calls (unit test; the integration tests use moto: {@code CreateClaimIT}).
 */
class CreateClaimTest {
    static final RotationRequest REQUEST = new RotationRequest(Step.CREATE, "s", "11111111-2222-3333-4444-555555555555",
            Optional.empty());

    @Test
    void theHoldersWork_endsWithinTheBudget_countedFromBeforeTheClaimWasStored() {
        // GIVEN a PutSecretValue that takes a second to answer
        Versions sm = new Versions(Duration.ofSeconds(1));
        CreateClaim claims = new CreateClaim(new SecretStore(sm.client()), ProviderServices.builder().build());
        List<Duration> left = new CopyOnWriteArrayList<>();

        // WHEN the claim is taken and the work runs
        claims.run(REQUEST, () -> false, () -> {
            left.add(Deadline.current().remaining());
            return "stored";
        });

        // THEN the work had the budget minus the second the claim took, not a fresh budget
        assertThat(left).singleElement().satisfies(d -> assertThat(d).isLessThanOrEqualTo(CreateClaim.BUDGET.minusMillis(900)));
        assertThat(sm.labels).doesNotContainValue(CreateClaim.STAGE);
    }

    @Test
    void aFailureWithAnAnswer_releasesTheClaim_oneWithoutAnAnswer_keepsItForItsLease() {
        Versions sm = new Versions(Duration.ZERO);
        CreateClaim claims = new CreateClaim(new SecretStore(sm.client()), ProviderServices.builder().build());

        // WHEN the work fails after an answer (a 5xx), the claim is released
        assertThatThrownBy(() -> claims.run(REQUEST, () -> false, () -> {
            throw new TargetServiceException("Weaviate answered 503");
        })).hasMessageContaining("503");
        assertThat(sm.labels).doesNotContainValue(CreateClaim.STAGE);

        // WHEN it fails without one (a read timeout: the request may still land), the claim stays
        assertThatThrownBy(() -> claims.run(REQUEST, () -> false, () -> {
            throw new TargetServiceException("PutSecretValue failed", SdkClientException.builder()
                    .message("Unable to execute HTTP request").cause(new SocketTimeoutException("Read timed out")).build());
        })).hasMessageContaining("PutSecretValue failed");
        assertThat(sm.labels).containsValue(CreateClaim.STAGE);
        assertThat(sm.labels.get(CreateClaim.versionId(REQUEST.clientRequestToken(), 1))).isEqualTo(CreateClaim.STAGE);
    }

    /** Versions with values and at most one custom label each; PutSecretValue refuses a different value. */
    static final class Versions {
        final Map<String, String> values = new ConcurrentHashMap<>();
        final Map<String, String> labels = new ConcurrentHashMap<>();
        private final Duration putDelay;

        Versions(Duration putDelay) {
            this.putDelay = putDelay;
        }

        SecretsManagerClient client() {
            return new SecretsManagerClient() {
                @Override
                public PutSecretValueResponse putSecretValue(PutSecretValueRequest r) {
                    sleep(putDelay);
                    synchronized (values) {
                        String existing = values.putIfAbsent(r.clientRequestToken(), r.secretString());
                        if (existing != null && !existing.equals(r.secretString())) {
                            throw ResourceExistsException.builder().message("version exists").build();
                        }
                        labels.values().remove(r.versionStages().get(0));
                        labels.put(r.clientRequestToken(), r.versionStages().get(0));
                    }
                    return PutSecretValueResponse.builder().versionId(r.clientRequestToken()).build();
                }

                @Override
                public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
                    String value = values.get(r.versionId());
                    if (value == null || (r.versionStage() != null && !r.versionStage().equals(labels.get(r.versionId())))) {
                        throw ResourceNotFoundException.builder().message("no such version").build();
                    }
                    return GetSecretValueResponse.builder().versionId(r.versionId()).secretString(value)
                            .versionStages(labels.containsKey(r.versionId()) ? List.of(labels.get(r.versionId())) : List.of()).build();
                }

                @Override
                public UpdateSecretVersionStageResponse updateSecretVersionStage(UpdateSecretVersionStageRequest r) {
                    labels.remove(r.removeFromVersionId(), r.versionStage());
                    return UpdateSecretVersionStageResponse.builder().build();
                }

                @Override
                public ListSecretVersionIdsResponse listSecretVersionIds(ListSecretVersionIdsRequest r) {
                    return ListSecretVersionIdsResponse.builder().versions(values.keySet().stream()
                            .map(id -> SecretVersionsListEntry.builder().versionId(id).build()).toList()).build();
                }

                @Override
                public String serviceName() {
                    return "secretsmanager";
                }

                @Override
                public void close() {}
            };
        }

        private static void sleep(Duration d) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
