package dev.secretrotator.provider.iam;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.TargetServiceException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ListUserTagsResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;

/** One IAM user's access keys: the IAM calls of the provider, with errors that say what to do. */
final class AccessKeys {
    /** A key as IAM lists it (no secret). */
    record Key(String id, boolean active, Instant created) {}

    private final IamClient iam;
    private final String user;
    private final Optional<String> roleArn;

    /** @param roleArn the role {@code iam} acts as in the user's account; empty for the function's own */
    AccessKeys(IamClient iam, String user, Optional<String> roleArn) {
        this.iam = iam;
        this.user = user;
        this.roleArn = roleArn;
    }

    String user() {
        return user;
    }

    /** The user and the account it lives in (by the role reaching it), e.g. for {@code StepMemo} keys. */
    String scope() {
        return user + roleArn.map(r -> " via " + r).orElse("");
    }

    /** The value of the user's tag {@code key}, if it has one ({@code ListUserTags}, every page). */
    Optional<String> tag(String key) {
        return call("ListUserTags", () -> {
            String marker = null;
            do {
                String from = marker;
                ListUserTagsResponse page = iam.listUserTags(b -> b.userName(user).marker(from));
                Optional<String> value = page.tags().stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
                if (value.isPresent()) {
                    return value;
                }
                marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
            } while (marker != null);
            return Optional.<String>empty();
        });
    }

    List<Key> list() {
        return call("ListAccessKeys", () -> iam.listAccessKeys(b -> b.userName(user)).accessKeyMetadata().stream()
                .map(m -> new Key(m.accessKeyId(), m.status() == StatusType.ACTIVE, m.createDate())).toList());
    }

    /** Creates a key; the returned object carries the secret access key. */
    AccessKey create() {
        return call("CreateAccessKey", () -> iam.createAccessKey(b -> b.userName(user)).accessKey());
    }

    Optional<Instant> lastUsed(String keyId) {
        return call("GetAccessKeyLastUsed", () -> Optional.ofNullable(
                iam.getAccessKeyLastUsed(b -> b.accessKeyId(keyId)).accessKeyLastUsed().lastUsedDate()));
    }

    void setActive(String keyId, boolean active) {
        call("UpdateAccessKey", () -> iam.updateAccessKey(b -> b.userName(user).accessKeyId(keyId)
                .status(active ? StatusType.ACTIVE : StatusType.INACTIVE)));
    }

    /** Deletes a key; a key already gone is fine (retries). */
    void delete(String keyId) {
        try {
            iam.deleteAccessKey(b -> b.userName(user).accessKeyId(keyId));
        } catch (NoSuchEntityException alreadyGone) {
            // a retried step: the key was deleted by the earlier attempt
        } catch (SdkException e) {
            throw failure("DeleteAccessKey", e);
        }
    }

    private <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(operation, e);
        }
    }

    private RuntimeException failure(String operation, SdkException e) {
        if (e instanceof NoSuchEntityException) {
            return new InvalidInputException("IAM user '" + user + "' does not exist (" + operation
                    + "); check \"userName\" (and \"roleArn\" for another account)");
        }
        String code = e instanceof IamException ie && ie.awsErrorDetails() != null && ie.awsErrorDetails().errorCode() != null
                ? ie.awsErrorDetails().errorCode() + " (HTTP " + ie.statusCode() + ")"
                : e.getClass().getSimpleName();
        return new TargetServiceException("IAM " + operation + " for user '" + user + "' failed: " + code
                + "; check the function's IAM permissions on that user, then retry", e);
    }
}
