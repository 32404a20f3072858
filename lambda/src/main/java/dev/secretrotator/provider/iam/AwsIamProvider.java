package dev.secretrotator.provider.iam;

import dev.secretrotator.StaleCredentialException;
import dev.secretrotator.config.Retirement;
import dev.secretrotator.provider.Deadline;
import dev.secretrotator.provider.Policies;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * {@code aws-iam}: rotates an IAM user's access key with both keys valid during the overlap.
 *
 * <p>createSecret makes room under IAM's two-key limit only by deleting a key nobody can be
 * using (inactive, an orphan of a failed attempt, or past its grace period and unused for the
 * quiet period), else refuses naming the key; then creates the new key. testSecret proves it
 * with STS. finishSecret leaves the previous key active. The sweep deactivates the previous key
 * after the grace period if unused for the quiet period, and deletes it after the hold.
 */
public final class AwsIamProvider implements RotationProvider {
    public static final String NAME = "aws-iam";

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
        while (true) {
            List<AccessKeys.Key> others = keys.list().stream()
                    .filter(k -> secret.accessKeyId().filter(k.id()::equals).isEmpty()).toList();
            Optional<AccessKeys.Key> inFlight = others.stream()
                    .filter(k -> ConcurrentAttempts.young(context, k) && isOrphan(context, keys, k)).findFirst();
            if (inFlight.isEmpty()) {
                return create(context, keys, others);
            }
            Optional<SecretValue> stored = ConcurrentAttempts.storedOrWait(context, inFlight.get());
            if (stored.isPresent()) {
                return stored.get();
            }
        }
    }

    /** Deletes the other keys (each only if nobody can be using it), then creates the new key. */
    private SecretValue create(StepContext context, AccessKeys keys, List<AccessKeys.Key> others) {
        List<String> removable = new ArrayList<>();
        for (AccessKeys.Key key : others) {
            removable.add(checkRemovable(context, keys, key));
        }
        removable.forEach(id -> {
            keys.delete(id);
            context.history().clearDeactivation(id);
            log(context, "deleted access key to make room", id);
        });
        AccessKey created = keys.create();
        context.services().telemetry().redactor().register(created.secretAccessKey());
        log(context, "created access key", created.accessKeyId());
        return context.current().with(IamSecret.KEY_ID, created.accessKeyId())
                .with(IamSecret.SECRET_KEY, created.secretAccessKey());
    }

    /** Returns the key's id if deleting it cannot break anyone, else refuses the rotation. */
    private String checkRemovable(StepContext context, AccessKeys keys, AccessKeys.Key key) {
        if (!key.active() || context.emergency() || isOrphan(context, keys, key)) {
            return key.id();
        }
        Retirement policy = Policies.retirement(context.current(), context.services().config());
        Instant now = context.services().clock().instant();
        Instant graceEnds = context.history().currentSince().plus(policy.gracePeriod());
        Optional<Instant> lastUsed = keys.lastUsed(key.id());
        boolean quiet = lastUsed.map(t -> !t.isAfter(now.minus(policy.quietPeriod()))).orElse(true);
        if (!now.isBefore(graceEnds) && quiet) {
            return key.id();
        }
        throw new StaleCredentialException("IAM allows two access keys per user and the other key of '"
                + IamSecret.of(context.current()).userName() + "', " + key.id() + ", is still active "
                + (now.isBefore(graceEnds) ? "and within its grace period (until " + graceEnds + ")" : "")
                + (quiet ? "" : " and was last used " + lastUsed.get() + ", within the quiet period of " + policy.quietPeriod())
                + "; nothing was deleted or created. Wait until its consumers use AWSCURRENT and it goes unused for "
                + policy.quietPeriod() + ", or run an emergency rotation to revoke it now");
    }

    /**
     * A key created by an earlier, failed attempt of this rotation: not older than the current
     * version, held by no version of the secret, never used. Its secret was never stored, so nobody
     * has it. IAM gives creation times in whole seconds, so a key made in the second the current
     * version took over counts as newer.
     */
    static boolean isOrphan(StepContext context, AccessKeys keys, AccessKeys.Key key) {
        boolean held = context.history().previous().flatMap(p -> p.string(IamSecret.KEY_ID)).filter(key.id()::equals).isPresent();
        Instant since = context.history().currentSince().truncatedTo(ChronoUnit.SECONDS);
        return !held && key.created() != null && !key.created().isBefore(since) && keys.lastUsed(key.id()).isEmpty();
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

    @Override
    public void afterCutover(StepContext context) {
        if (context.emergency()) {
            IamSecret old = IamSecret.of(context.current());
            old.accessKeyId().ifPresent(id -> revoke(context, keys(context, old), id));
        }
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
        AccessKeys.Key key = keys.list().stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow(() ->
                new dev.secretrotator.RotationStateException("the previous access key " + id
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
            keys(context, IamSecret.of(abandoned)).delete(id.get());
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

    @Override
    public RetirementResult retire(StepContext context) {
        return new KeyRetirement(context, keys(context, IamSecret.of(context.current()))).advance();
    }

    static void revoke(StepContext context, AccessKeys keys, String keyId) {
        keys.setActive(keyId, false);
        keys.delete(keyId);
        context.history().clearDeactivation(keyId);
        context.services().telemetry().warn("EMERGENCY: previous access key revoked at once",
                Map.of("secretId", context.secretId(), "accessKeyId", keyId));
    }

    static AccessKeys keys(StepContext context, IamSecret secret) {
        return new AccessKeys(context.services().client(IamClients.class).iam(secret.roleArn()), secret.userName());
    }

    private static void log(StepContext context, String message, String keyId) {
        context.services().telemetry().info(message, Map.of("secretId", context.secretId(),
                "versionId", context.versionId(), "accessKeyId", keyId));
    }
}
