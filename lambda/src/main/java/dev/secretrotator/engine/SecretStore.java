package dev.secretrotator.engine;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.provider.Deadline;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsRequest;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.Tag;
import software.amazon.awssdk.services.secretsmanager.model.TagResourceRequest;
import software.amazon.awssdk.services.secretsmanager.model.UntagResourceRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The Secrets Manager calls of the protocol. Every read names a version stage or a version id
 * (never the default version). SDK failures become {@link RotationException}s whose messages
 * carry the AWS error code but never a secret value.
 */
public final class SecretStore {
    /** The SDK clients' own call timeout ({@code AwsClients}); writes end sooner when the deadline is nearer. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(25);

    private final SecretsManagerClient client;

    public SecretStore(SecretsManagerClient client) {
        this.client = client;
    }

    public SecretMetadata describe(String secretId) {
        DescribeSecretResponse r = call("DescribeSecret", () -> client.describeSecret(DescribeSecretRequest.builder().secretId(secretId).build()));
        Map<String, List<String>> stages = new LinkedHashMap<>(r.versionIdsToStages());
        Map<String, String> tags = new LinkedHashMap<>();
        r.tags().forEach(t -> tags.put(t.key(), t.value()));
        return new SecretMetadata(r.arn(), r.name(), Boolean.TRUE.equals(r.rotationEnabled()),
                Optional.ofNullable(r.rotationLambdaARN()).filter(s -> !s.isEmpty()), stages, tags,
                Optional.ofNullable(r.lastRotatedDate()), Optional.ofNullable(r.nextRotationDate()));
    }

    /** The ids of every version of the secret, deprecated ones (without labels) included. */
    public Set<String> versionIds(String secretId) {
        Set<String> ids = new HashSet<>();
        String next = null;
        do {
            String page = next;
            ListSecretVersionIdsResponse r = call("ListSecretVersionIds", () -> client.listSecretVersionIds(
                    ListSecretVersionIdsRequest.builder().secretId(secretId).includeDeprecated(true).nextToken(page).build()));
            r.versions().forEach(v -> ids.add(v.versionId()));
            next = r.nextToken();
        } while (next != null && !next.isEmpty());
        return ids;
    }

    public void tag(String secretId, String key, String value) {
        tag(secretId, Map.of(key, value));
    }

    /** Several tags in one TagResource call. */
    public void tag(String secretId, Map<String, String> tags) {
        call("TagResource", () -> client.tagResource(TagResourceRequest.builder().secretId(secretId)
                .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())
                .build()));
    }

    public void untag(String secretId, String key) {
        call("UntagResource", () -> client.untagResource(UntagResourceRequest.builder().secretId(secretId)
                .tagKeys(key).build()));
    }

    /** Every secret with rotation enabled (ListSecrets, all pages), as metadata with tags but without versions. */
    public List<SecretMetadata> rotatingSecrets() {
        return rotatingSecrets(List.of());
    }

    /**
     * The secrets with rotation enabled that ListSecrets returns for {@code filters} (all pages;
     * Secrets Manager matches filter values as case-insensitive prefixes, so callers still check
     * exactly), as metadata with tags but without versions.
     */
    public List<SecretMetadata> rotatingSecrets(List<Filter> filters) {
        return call("ListSecrets", () -> client.listSecretsPaginator(ListSecretsRequest.builder().filters(filters).build())
                .stream()
                .flatMap(page -> page.secretList().stream())
                .filter(e -> Boolean.TRUE.equals(e.rotationEnabled()))
                .map(e -> new SecretMetadata(e.arn(), e.name(), true, Optional.ofNullable(e.rotationLambdaARN()).filter(a -> !a.isEmpty()),
                        Map.of(), tags(e.tags()), Optional.ofNullable(e.lastRotatedDate()), Optional.ofNullable(e.nextRotationDate())))
                .toList());
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new java.util.HashMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    /**
     * The secret string stored under {@code stage}.
     *
     * @throws InvalidInputException if the version holds binary data ({@code SecretBinary})
     */
    public String valueAt(String secretId, String stage) {
        GetSecretValueResponse r = call("GetSecretValue(" + stage + ")",
                () -> client.getSecretValue(GetSecretValueRequest.builder().secretId(secretId).versionStage(stage).build()));
        if (r.secretString() == null && r.secretBinary() != null) {
            throw new InvalidInputException("the " + stage + " version holds binary data (SecretBinary); this function"
                    + " rotates secrets whose SecretString is a JSON object with a \"provider\" field");
        }
        return r.secretString();
    }

    /** The secret string of {@code versionId} if that version holds {@code stage} and a value. */
    public Optional<String> findValue(String secretId, String versionId, String stage) {
        try {
            return Optional.ofNullable(client.getSecretValue(GetSecretValueRequest.builder()
                    .secretId(secretId).versionId(versionId).versionStage(stage).build()).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetSecretValue(" + stage + ")", e);
        }
    }

    /** The secret string under {@code stage}, if a version holds it. */
    public Optional<String> findStage(String secretId, String stage) {
        try {
            return Optional.ofNullable(client.getSecretValue(GetSecretValueRequest.builder()
                    .secretId(secretId).versionStage(stage).build()).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetSecretValue(" + stage + ")", e);
        }
    }

    /**
     * Stores the pending value under {@code versionId}, passing the rotation token on. The call's
     * timeout ends by the invocation's {@link Deadline} (the service may still act on a request
     * whose answer came too late: see {@link CreateClaim}).
     */
    public void putPending(String secretId, String versionId, String value, Optional<String> rotationToken) {
        call("PutSecretValue", () -> client.putSecretValue(put(secretId, versionId, value, SecretMetadata.PENDING, rotationToken)));
    }

    /**
     * Creates version {@code versionId} holding {@code value} and labelled {@code stage} only,
     * unless that version exists: Secrets Manager's one compare-and-set (it refuses a different
     * value under an existing version id; the same value again is a no-op that returns true).
     *
     * @return whether the version now holds {@code value}
     */
    public boolean putIfAbsent(String secretId, String versionId, String value, String stage, Optional<String> rotationToken) {
        try {
            client.putSecretValue(put(secretId, versionId, value, stage, rotationToken));
            return true;
        } catch (ResourceExistsException taken) {
            return false;
        } catch (SdkException e) {
            throw failure("PutSecretValue(" + stage + ")", e);
        }
    }

    /** A version's secret string and labels, read by version id, if it exists. */
    public Optional<StoredVersion> version(String secretId, String versionId) {
        try {
            GetSecretValueResponse r = client.getSecretValue(GetSecretValueRequest.builder()
                    .secretId(secretId).versionId(versionId).build());
            return Optional.of(new StoredVersion(r.secretString(), r.versionStages()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetSecretValue(version)", e);
        }
    }

    /**
     * One version as read by id.
     *
     * @param value its secret string ({@code null} for binary data)
     * @param stages its staging labels
     */
    public record StoredVersion(String value, List<String> stages) {
        public StoredVersion {
            stages = List.copyOf(stages);
        }

        @Override
        public String toString() {
            return "StoredVersion[stages=" + stages + "]";
        }
    }

    private static PutSecretValueRequest put(String secretId, String versionId, String value, String stage,
            Optional<String> rotationToken) {
        PutSecretValueRequest.Builder request = PutSecretValueRequest.builder()
                .secretId(secretId).clientRequestToken(versionId).secretString(value).versionStages(stage);
        rotationToken.ifPresent(request::rotationToken);
        Duration left = Deadline.current().remaining();
        if (left.compareTo(CALL_TIMEOUT) < 0) {
            request.overrideConfiguration(o -> o.apiCallTimeout(Deadline.current().cap(CALL_TIMEOUT)));
        }
        return request.build();
    }

    /** Moves {@code stage} to {@code toVersion}, off {@code fromVersion} when given. */
    public void moveStage(String secretId, String stage, String toVersion, String fromVersion) {
        call("UpdateSecretVersionStage(" + stage + ")", () -> client.updateSecretVersionStage(UpdateSecretVersionStageRequest
                .builder().secretId(secretId).versionStage(stage).moveToVersionId(toVersion).removeFromVersionId(fromVersion).build()));
    }

    /** Removes {@code stage} from {@code fromVersion}. */
    public void removeStage(String secretId, String stage, String fromVersion) {
        call("UpdateSecretVersionStage(" + stage + ")", () -> client.updateSecretVersionStage(UpdateSecretVersionStageRequest
                .builder().secretId(secretId).versionStage(stage).removeFromVersionId(fromVersion).build()));
    }

    private static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(operation, e);
        }
    }

    static RotationException failure(String operation, SdkException e) {
        if (e instanceof ResourceNotFoundException) {
            return new RotationStateException(operation + " found no such secret or version"
                    + " (ResourceNotFoundException); check the secret exists and was not deleted");
        }
        if (e instanceof InvalidRequestException) {
            // the secret's state refuses the call: retrying will not help (e.g. it is scheduled for deletion)
            return new RotationStateException("Secrets Manager refused " + operation + " (InvalidRequestException):"
                    + " the secret's state does not allow it, e.g. it is scheduled for deletion (restore it with"
                    + " RestoreSecret) or a rotation is already in progress; nothing was changed");
        }
        String code = e instanceof SecretsManagerException sme && sme.awsErrorDetails() != null
                ? sme.awsErrorDetails().errorCode() + " (HTTP " + sme.statusCode() + ")"
                : e.getClass().getSimpleName();
        return new TargetServiceException("Secrets Manager " + operation + " failed: " + code
                + "; check the function's permissions on the secret and its KMS key, then retry", e);
    }
}
