package dev.secretrotator.provider.iam;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.StaleCredentialException;
import dev.secretrotator.provider.ConcurrentCreate;
import dev.secretrotator.provider.Deadline;
import dev.secretrotator.provider.Policies;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * {@code aws-iam}: rotates an IAM user's access key with both keys valid during the overlap.
 *
 * <p>Every path that creates or changes a key first checks that the user is bound to the secret
 * ({@link UserBinding}: a tag on the user naming it). createSecret never deletes a key anyone
 * may hold: when the user has no free slot under IAM's two-key limit, the other key goes
 * through its retirement lifecycle ({@link KeyRetirement}: deactivated once past its grace period
 * and unused for the quiet period, deleted after its hold of {@code deleteAfter}), and
 * createSecret refuses, naming the key and when it can go, until it is deleted. Only a key this
 * function minted and no version holds ({@link MintedKeys}: the orphan of a failed or abandoned
 * attempt, never handed to anyone) is deleted at once; a key made by hand never is. testSecret
 * proves the new key with STS. finishSecret leaves the previous key active. The sweep deactivates
 * the previous key after the grace period if unused for the quiet period, and deletes it after the
 * hold. An emergency's retirement revokes the previous key at once and, if the user still has no
 * free slot, every other key but the current one ({@link KeyRetirement#advance}).
 */
public final class AwsIamProvider implements RotationProvider {
    public static final String NAME = "aws-iam";
    /** IAM's limit of access keys per user. */
    static final int MAX_KEYS = 2;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(SecretValue current) {
        IamSecret.of(current);
    }

    @Override
    public SecretValue createCredential(StepContext context) {
        IamSecret secret = IamSecret.of(context.current());
        AccessKeys keys = keys(context, secret);
        UserBinding.require(context, keys, "createSecret");
        while (true) {
            List<AccessKeys.Key> all = keys.list();
            MintedKeys.tidy(context, all);
            List<AccessKeys.Key> others = all.stream()
                    .filter(k -> secret.accessKeyId().filter(k.id()::equals).isEmpty()).toList();
            Optional<AccessKeys.Key> inFlight = others.stream().filter(k -> ConcurrentAttempts.young(context, k)
                    && !MintedKeys.held(context).contains(k.id()) && keys.lastUsed(k.id()).isEmpty()).findFirst();
            if (inFlight.isPresent()) {
                Optional<SecretValue> stored = ConcurrentAttempts.storedOrWait(context, inFlight.get());
                if (stored.isPresent()) {
                    return stored.get();
                }
                continue;
            }
            Optional<SecretValue> stored = storedByThisRotation(context, others);
            if (stored.isPresent()) {
                return stored.get();
            }
            makeRoom(context, keys, all.size(), others);
            return create(context, keys);
        }
    }

    /**
     * For a retried createSecret that finds a key it minted earlier: the pending value, if another
     * invocation stored it meanwhile (the engine calls createCredential only while none is), so
     * that key is taken rather than deleted as an orphan.
     */
    private static Optional<SecretValue> storedByThisRotation(StepContext context, List<AccessKeys.Key> others) {
        return others.stream().anyMatch(k -> MintedKeys.ofThisRotation(context, k)) ? ConcurrentCreate.stored(context)
                : Optional.empty();
    }

    /**
     * Frees a slot under IAM's two-key limit without revoking a key anyone may still use: deletes
     * the keys this function minted that no version holds (nobody has them); then, only if the user
     * still has no free slot, takes the other key through its retirement lifecycle (deactivated
     * once unused, deleted after its hold), refusing until it is deleted. (An emergency makes room
     * before its rotation: its retirement revokes the previous key at once.)
     */
    private void makeRoom(StepContext context, AccessKeys keys, int listed, List<AccessKeys.Key> others) {
        List<AccessKeys.Key> kept = new ArrayList<>();
        for (AccessKeys.Key key : others) {
            if (MintedKeys.isOrphan(context, key)) {
                keys.delete(key.id());
                MintedKeys.forget(context, key.id());
                log(context, "deleted access key this function minted for a failed or abandoned attempt, held by no version",
                        key.id());
            } else {
                kept.add(key);
            }
        }
        if (listed - (others.size() - kept.size()) < MAX_KEYS) {
            return;
        }
        AccessKeys.Key other = kept.stream().sorted(Comparator.comparing(AccessKeys.Key::active)
                .thenComparing(AccessKeys.Key::created, Comparator.nullsLast(Comparator.naturalOrder()))).findFirst().orElseThrow();
        KeyRetirement retirement = new KeyRetirement(context, keys);
        RetirementResult result = retirement.makeRoom(other);
        if (result.action() != RetirementResult.Action.DELETED) {
            throw refusal(context, keys.user(), other.active(), result, retirement);
        }
        log(context, "deleted the other access key after its hold, to make room", other.id());
    }

    private SecretValue create(StepContext context, AccessKeys keys) {
        AccessKey created = keys.create();
        context.services().telemetry().redactor().register(created.secretAccessKey());
        MintedKeys.record(context, keys, created.accessKeyId());
        log(context, "created access key", created.accessKeyId());
        return context.current().with(IamSecret.KEY_ID, created.accessKeyId())
                .with(IamSecret.SECRET_KEY, created.secretAccessKey());
    }

    /** Why createSecret cannot make room yet: the other key is in its grace period, in use, or on hold. */
    private static RotationException refusal(StepContext context, String user, boolean wasActive, RetirementResult result,
            KeyRetirement retirement) {
        String limit = "IAM allows two access keys per user and the other key of '" + user + "', " + result.credentialId() + ", ";
        String instead = "; no key was created. To revoke it now instead, run an emergency rotation";
        return switch (result.action()) {
            case STILL_IN_USE -> new StaleCredentialException(limit + "is still active: " + result.detail()
                    + "; nothing was deleted or created. Wait until it goes unused for " + retirement.policy().quietPeriod()
                    + ", or run an emergency rotation to revoke it now");
            case DEACTIVATED -> new RotationStateException(limit + "was unused, so it was deactivated now (an active key is"
                    + " never deleted); it can be deleted after its hold of " + retirement.policy().deleteAfter() + ", from "
                    + context.services().clock().instant().plus(retirement.policy().deleteAfter())
                    + ", when a retried or the next rotation deletes it and creates the new key" + instead);
            default -> wasActive
                    ? new StaleCredentialException(limit + "is still active and within its grace period (until "
                            + retirement.graceEnds() + "); nothing was deleted or created. Wait until its consumers use"
                            + " AWSCURRENT and the grace period ends, or run an emergency rotation to revoke it now")
                    : new RotationStateException(limit + "is inactive and held before deletion (" + result.detail()
                            + "): it can go then, when a retried or the next rotation deletes it" + instead);
        };
    }

    @Override
    public void verifyCredential(StepContext context) {
        SecretValue pending = context.requirePending();
        IamSecret secret = IamSecret.of(pending);
        new KeyVerifier(context.services().client(IamClients.class), context.services().clock(),
                Deadline.current()).verify(
                secret.userName(), pending.require(IamSecret.KEY_ID), pending.require(IamSecret.SECRET_KEY),
                Policies.verification(pending, context.services().config()));
    }

    /** The user must be bound to this secret (read-only: ListUserTags). */
    @Override
    public void checkCreate(StepContext context) {
        UserBinding.require(context, keys(context, IamSecret.of(context.current())), "createSecret");
    }

    @Override
    public String credentialId(SecretValue value) {
        return value.string(IamSecret.KEY_ID).orElse("(no key)");
    }

    /** Reactivates the previous key if the sweep deactivated it; refuses if it was deleted. */
    @Override
    public void restoreCredential(StepContext context) {
        SecretValue previous = context.requirePending();
        IamSecret secret = IamSecret.of(previous);
        String id = previous.require(IamSecret.KEY_ID);
        AccessKeys keys = keys(context, secret);
        UserBinding.require(context, keys, "rollback");
        AccessKeys.Key key = keys.list().stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow(() ->
                new RotationStateException("the previous access key " + id
                        + " was deleted, so it cannot be restored; rotate instead"));
        if (!key.active()) {
            keys.setActive(id, true);
            context.history().clearDeactivation(id);
            log(context, "reactivated previous access key for rollback", id);
        }
    }

    /** Deletes the key only an abandoned pending version holds. */
    @Override
    public void discardCredential(StepContext context) {
        SecretValue abandoned = context.requirePending();
        Optional<String> id = abandoned.string(IamSecret.KEY_ID);
        Optional<String> kept = context.current().string(IamSecret.KEY_ID);
        Optional<String> previous = context.history().previous().flatMap(p -> p.string(IamSecret.KEY_ID));
        if (id.isPresent() && !id.equals(kept) && !id.equals(previous)) {
            AccessKeys keys = keys(context, IamSecret.of(abandoned));
            UserBinding.require(context, keys, "discarding the key of an abandoned rotation");
            keys.delete(id.get());
            MintedKeys.forget(context, id.get());
            log(context, "deleted access key of an abandoned rotation", id.get());
        }
    }

    @Override
    public Map<String, String> credentialState(StepContext context, SecretValue value) {
        Optional<String> id = value.string(IamSecret.KEY_ID);
        if (id.isEmpty()) {
            return Map.of("status", "no key yet");
        }
        AccessKeys keys = keys(context, IamSecret.of(value));
        Optional<AccessKeys.Key> key = keys.list().stream().filter(k -> k.id().equals(id.get())).findFirst();
        if (key.isEmpty()) {
            return Map.of("status", "deleted");
        }
        return Map.of("status", key.get().active() ? "Active" : "Inactive",
                "lastUsed", keys.lastUsed(id.get()).map(Object::toString).orElse("never"));
    }

    /** Clears the minting ledger's entries of the new current key and of the one it replaced. Idempotent. */
    @Override
    public void afterCutover(StepContext context) {
        context.requirePending().string(IamSecret.KEY_ID).ifPresent(context.history()::clearMinted);
        context.current().string(IamSecret.KEY_ID).ifPresent(context.history()::clearMinted);
    }

    /** IAM makes the key in createSecret: setSecret has nothing to apply. */
    @Override
    public boolean appliesCredential() {
        return false;
    }

    @Override
    public boolean keepsPreviousCredential() {
        return true;
    }

    @Override
    public RetirementResult retire(StepContext context) {
        AccessKeys keys = keys(context, IamSecret.of(context.current()));
        UserBinding.require(context, keys, "retirement sweep");
        RetirementResult result = new KeyRetirement(context, keys).advance();
        MintedKeys.tidy(context, keys.list());
        return result;
    }

    /** Deactivates and deletes a key at once (emergency only), logging {@code why} loudly with the key id. */
    static void revoke(StepContext context, AccessKeys keys, String keyId, String why) {
        keys.setActive(keyId, false);
        keys.delete(keyId);
        MintedKeys.forget(context, keyId);
        context.services().telemetry().warn("EMERGENCY: " + why, Map.of("secretId", context.secretId(), "accessKeyId", keyId));
    }

    static AccessKeys keys(StepContext context, IamSecret secret) {
        return new AccessKeys(context.services().client(IamClients.class).iam(secret.roleArn()), secret.userName(),
                secret.roleArn());
    }

    private static void log(StepContext context, String message, String keyId) {
        context.services().telemetry().info(message, Map.of("secretId", context.secretId(),
                "versionId", context.versionId(), "accessKeyId", keyId));
    }
}
