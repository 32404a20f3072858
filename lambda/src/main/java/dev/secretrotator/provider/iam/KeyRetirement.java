package dev.secretrotator.provider.iam;

import static dev.secretrotator.provider.RetirementResult.Action.DEACTIVATED;
import static dev.secretrotator.provider.RetirementResult.Action.DELETED;
import static dev.secretrotator.provider.RetirementResult.Action.REVOKED;
import static dev.secretrotator.provider.RetirementResult.Action.STILL_IN_USE;
import static dev.secretrotator.provider.RetirementResult.Action.WAITING;

import dev.secretrotator.config.Retirement;
import dev.secretrotator.provider.Policies;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.StepContext;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The retirement lifecycle of an access key that is not the current one: active during the grace
 * period → deactivated if unused for the quiet period (else kept and reported) → deleted once
 * {@code deleteAfter} has passed since deactivation; an emergency revokes at once instead. The
 * sweep advances the previous key one stage ({@link #advance}); createSecret, to make room under
 * IAM's two-key limit, takes the other key as far as it may go now ({@link #makeRoom}). The
 * current key is never touched.
 *
 * <p>The Inactive-since instant comes from the secret's retirement ledger
 * ({@link dev.secretrotator.provider.SecretHistory#deactivatedAt}); a key found inactive with no
 * entry (deactivated by someone else) has its hold counted from the moment it is first seen,
 * recorded then, so it is never deleted at once.
 */
final class KeyRetirement {
    private final StepContext context;
    private final AccessKeys keys;
    private final Retirement policy;
    private final Instant now;

    KeyRetirement(StepContext context, AccessKeys keys) {
        this.context = context;
        this.keys = keys;
        this.policy = Policies.retirement(context.current(), context.services().config());
        this.now = context.services().clock().instant();
    }

    Retirement policy() {
        return policy;
    }

    /**
     * The sweep: advances the previous key one stage. With an emergency, revokes it at once and
     * then, if the user still has no free slot under IAM's two-key limit (its other key is not the
     * previous one: made by hand, or a legacy key), deletes the other keys but the current one at
     * once too, so the emergency's rotation can create its key.
     */
    RetirementResult advance() {
        RetirementResult previous = advancePrevious();
        return context.emergency() ? emergencyRoom(previous) : previous;
    }

    private RetirementResult advancePrevious() {
        Optional<String> currentId = context.current().string(IamSecret.KEY_ID);
        Optional<String> previousId = context.history().previous().flatMap(p -> p.string(IamSecret.KEY_ID))
                .filter(id -> !currentId.filter(id::equals).isPresent());
        if (previousId.isEmpty()) {
            return RetirementResult.nothing("no previous access key");
        }
        String id = previousId.get();
        Optional<AccessKeys.Key> key = keys.list().stream().filter(k -> k.id().equals(id)).findFirst();
        if (key.isEmpty()) {
            MintedKeys.forget(context, id);
            return RetirementResult.nothing("previous access key " + id + " is already deleted");
        }
        if (context.emergency()) {
            AwsIamProvider.revoke(context, keys, id, "previous access key revoked at once");
            return RetirementResult.of(REVOKED, id, "deactivated and deleted at once (emergency)");
        }
        return step(key.get());
    }

    /** An emergency: frees a slot by deleting keys other than the current one, inactive and oldest first. */
    private RetirementResult emergencyRoom(RetirementResult previous) {
        List<AccessKeys.Key> listed = keys.list();
        if (listed.size() < AwsIamProvider.MAX_KEYS) {
            return previous;
        }
        Optional<String> currentId = context.current().string(IamSecret.KEY_ID);
        List<String> deleted = listed.stream().filter(k -> currentId.filter(k.id()::equals).isEmpty())
                .sorted(Comparator.comparing(AccessKeys.Key::active)
                        .thenComparing(AccessKeys.Key::created, Comparator.nullsLast(Comparator.naturalOrder())))
                .limit(listed.size() - AwsIamProvider.MAX_KEYS + 1L).map(AccessKeys.Key::id).toList();
        deleted.forEach(id -> AwsIamProvider.revoke(context, keys, id, "access key " + id + " of user '" + keys.user()
                + "', held by neither AWSCURRENT nor AWSPREVIOUS, deleted at once to make room for the emergency rotation"));
        return RetirementResult.of(REVOKED, String.join(",", deleted), previous.detail() + "; the user had no free key slot,"
                + " so its other key " + String.join(", ", deleted) + " was deactivated and deleted at once (emergency)");
    }

    /**
     * Takes {@code key} (not the current one) as far along its lifecycle as it may go now: an
     * active key past its grace period and unused for the quiet period is deactivated, and deleted
     * in the same call only if {@code deleteAfter} is zero; an inactive one is deleted once its
     * hold is over. {@link RetirementResult.Action#DELETED} means the slot is free.
     */
    RetirementResult makeRoom(AccessKeys.Key key) {
        RetirementResult result = step(key);
        return result.action() == DEACTIVATED && policy.deleteAfter().isZero() ? deleteAfterHold(key.id()) : result;
    }

    /** The end of the grace period of the keys that the current version replaced. */
    Instant graceEnds() {
        return context.history().currentSince().plus(policy.gracePeriod());
    }

    private RetirementResult step(AccessKeys.Key key) {
        return key.active() ? deactivateIfIdle(key.id()) : deleteAfterHold(key.id());
    }

    private RetirementResult deactivateIfIdle(String id) {
        Instant graceEnds = graceEnds();
        if (now.isBefore(graceEnds)) {
            return RetirementResult.of(WAITING, id, "in its grace period until " + graceEnds);
        }
        Optional<Instant> lastUsed = keys.lastUsed(id);
        if (lastUsed.isPresent() && lastUsed.get().isAfter(now.minus(policy.quietPeriod()))) {
            return RetirementResult.of(STILL_IN_USE, id, "last used " + lastUsed.get() + ", within the quiet period of "
                    + policy.quietPeriod() + "; find the consumer still using it (CloudTrail), then let it pick up AWSCURRENT");
        }
        keys.setActive(id, false);
        context.history().recordDeactivation(id, now);
        return RetirementResult.of(DEACTIVATED, id, "unused since " + lastUsed.map(Instant::toString).orElse("never")
                + "; deleted after " + policy.deleteAfter() + " (at " + now.plus(policy.deleteAfter()) + ") unless reactivated");
    }

    private RetirementResult deleteAfterHold(String id) {
        Optional<Instant> recorded = context.history().deactivatedAt(id);
        if (recorded.isEmpty()) {
            // deactivated by someone else: start the hold now rather than delete at once
            context.history().recordDeactivation(id, now);
        }
        Instant deleteAt = recorded.orElse(now).plus(policy.deleteAfter());
        if (now.isBefore(deleteAt)) {
            return RetirementResult.of(WAITING, id, (recorded.isEmpty() ? "found inactive with no record of its deactivation;"
                    + " its hold counts from now" : "inactive since " + recorded.get()) + "; deleted after " + deleteAt);
        }
        keys.delete(id);
        MintedKeys.forget(context, id);
        return RetirementResult.of(DELETED, id, "deleted after its hold of " + policy.deleteAfter());
    }
}
