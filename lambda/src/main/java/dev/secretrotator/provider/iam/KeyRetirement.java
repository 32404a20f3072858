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
import java.util.Optional;

/**
 * One sweep of one secret's previous access key: active during the grace period → deactivated
 * if unused for the quiet period (else kept and reported) → deleted once {@code deleteAfter}
 * has passed since deactivation. The current key is never touched.
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

    RetirementResult advance() {
        Optional<String> currentId = context.current().string(IamSecret.KEY_ID);
        Optional<String> previousId = context.history().previous().flatMap(p -> p.string(IamSecret.KEY_ID))
                .filter(id -> !currentId.filter(id::equals).isPresent());
        if (previousId.isEmpty()) {
            return RetirementResult.nothing("no previous access key");
        }
        String id = previousId.get();
        Optional<AccessKeys.Key> key = keys.list().stream().filter(k -> k.id().equals(id)).findFirst();
        if (key.isEmpty()) {
            context.history().clearDeactivation(id);
            return RetirementResult.nothing("previous access key " + id + " is already deleted");
        }
        if (context.emergency()) {
            AwsIamProvider.revoke(context, keys, id);
            return RetirementResult.of(REVOKED, id, "deactivated and deleted at once (emergency)");
        }
        return key.get().active() ? deactivateIfIdle(id) : deleteAfterHold(id);
    }

    private RetirementResult deactivateIfIdle(String id) {
        Instant graceEnds = context.history().currentSince().plus(policy.gracePeriod());
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
                + "; deleted after " + policy.deleteAfter() + " unless reactivated");
    }

    private RetirementResult deleteAfterHold(String id) {
        Optional<Instant> since = context.history().deactivatedAt(id);
        if (since.isEmpty()) {
            // deactivated by someone else: start the hold now rather than delete at once
            context.history().recordDeactivation(id, now);
            return RetirementResult.of(WAITING, id, "found inactive; deleted after " + policy.deleteAfter());
        }
        Instant deleteAt = since.get().plus(policy.deleteAfter());
        if (now.isBefore(deleteAt)) {
            return RetirementResult.of(WAITING, id, "inactive; deleted after " + deleteAt);
        }
        keys.delete(id);
        context.history().clearDeactivation(id);
        return RetirementResult.of(DELETED, id, "deleted after its hold of " + policy.deleteAfter());
    }
}
