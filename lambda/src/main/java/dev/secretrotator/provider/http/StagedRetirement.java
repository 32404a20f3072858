package dev.secretrotator.provider.http;

import static dev.secretrotator.provider.RetirementResult.Action.DEACTIVATED;
import static dev.secretrotator.provider.RetirementResult.Action.DELETED;
import static dev.secretrotator.provider.RetirementResult.Action.NOTHING;
import static dev.secretrotator.provider.RetirementResult.Action.REVOKED;
import static dev.secretrotator.provider.RetirementResult.Action.STILL_IN_USE;
import static dev.secretrotator.provider.RetirementResult.Action.WAITING;

import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.StepContext;
import java.time.Instant;
import java.util.Optional;

/**
 * The previous key's retirement, one stage per sweep. Past the grace period (and, where the vendor
 * tells last use, unused for the quiet period) a vendor that can deactivate keys has the key
 * deactivated, and deleted once {@code deleteAfter} has passed since, if the vendor still reads it
 * inactive: a key someone activated again by hand is kept and reported, never deleted. A vendor
 * that cannot deactivate has the key revoked at that point. An emergency deactivates (where it can)
 * and revokes at once. The deactivation instant is kept in the secret's retirement ledger
 * ({@link dev.secretrotator.provider.SecretHistory#deactivatedAt}).
 */
final class StagedRetirement {
    private final StepContext context;
    private final Target target;
    private final KeyApi api;
    private final Instant now;

    StagedRetirement(StepContext context, Target target, KeyApi api) {
        this.context = context;
        this.target = target;
        this.api = api;
        this.now = context.services().clock().instant();
    }

    /** Advances the key {@code keyId} (held by AWSPREVIOUS, not by AWSCURRENT) one stage. */
    RetirementResult advance(String keyId) {
        if (context.emergency()) {
            boolean revoked = api.revokeNow(management("emergency sweep"), keyId);
            if (target.profile().deactivate().isPresent()) {
                context.history().clearDeactivation(keyId);
            }
            return revoked ? RetirementResult.of(REVOKED, keyId, "revoked at once (emergency)")
                    : RetirementResult.of(NOTHING, keyId, "already revoked");
        }
        Instant graceEnds = context.history().currentSince().plus(target.timing().retirement().gracePeriod());
        if (now.isBefore(graceEnds)) {
            return RetirementResult.of(WAITING, keyId, "in its grace period until " + graceEnds);
        }
        Optional<Instant> deactivatedAt = target.profile().deactivate().isPresent()
                ? context.history().deactivatedAt(keyId) : Optional.empty();
        Credential management = management("sweep");
        if (deactivatedAt.isPresent()) {
            return deleteAfterHold(management, keyId, deactivatedAt.get());
        }
        if (target.profile().lastUsed().isPresent()) {
            KeyApi.LastUse use = api.lastUsed(management, keyId);
            if (!use.exists()) {
                return RetirementResult.of(NOTHING, keyId, "already revoked");
            }
            Instant quietSince = now.minus(target.timing().retirement().quietPeriod());
            if (use.at().filter(at -> at.isAfter(quietSince)).isPresent()) {
                return RetirementResult.of(STILL_IN_USE, keyId, "last used at " + use.at().get()
                        + ", within the quiet period of " + target.timing().retirement().quietPeriod()
                        + "; a consumer still holds the previous key: make it re-read AWSCURRENT");
            }
        }
        String since = target.profile().lastUsed().isPresent() ? " and the quiet period" : "";
        if (target.profile().deactivate().isPresent()) {
            // recorded first: if the record failed after the deactivation, the next sweep would deactivate it again,
            // perhaps after someone activated it by hand; a record without a deactivation only ever keeps the key
            context.history().recordDeactivation(keyId, now);
            if (!api.deactivate(management, keyId)) {
                if (api.isInactive(management, keyId).isPresent()) {
                    throw new dev.secretrotator.TargetServiceException("profile \"" + target.profile().name() + "\" deactivate"
                            + " answered 404 for key " + keyId + ", which its deactivate.check still reads: check the"
                            + " profile's deactivate method and path; the key was not deactivated");
                }
                context.history().clearDeactivation(keyId);
                return RetirementResult.of(NOTHING, keyId, "already deleted");
            }
            return RetirementResult.of(DEACTIVATED, keyId, "deactivated after the grace period" + since + "; deleted after "
                    + target.timing().retirement().deleteAfter() + " (at " + now.plus(target.timing().retirement().deleteAfter())
                    + ") if it is still inactive then");
        }
        // the vendor cannot deactivate: revoking is the retirement, so there is nothing left to delete
        return api.revoke(management, keyId) ? RetirementResult.of(DEACTIVATED, keyId, "revoked after the grace period"
                + since + " (the vendor cannot deactivate a key)") : RetirementResult.of(NOTHING, keyId, "already revoked");
    }

    private RetirementResult deleteAfterHold(Credential management, String keyId, Instant deactivatedAt) {
        Instant deleteAt = deactivatedAt.plus(target.timing().retirement().deleteAfter());
        if (now.isBefore(deleteAt)) {
            return RetirementResult.of(WAITING, keyId, "inactive since " + deactivatedAt + "; deleted after " + deleteAt);
        }
        Optional<Boolean> inactive = api.isInactive(management, keyId);
        if (inactive.isEmpty()) {
            context.history().clearDeactivation(keyId);
            return RetirementResult.of(NOTHING, keyId, "already deleted");
        }
        if (!inactive.get()) {
            // never deactivated again against a person's choice; the hold restarts, so a key deactivated by hand
            // later is deleted no sooner than a whole hold after it was last seen active
            context.history().recordDeactivation(keyId, now);
            return RetirementResult.of(STILL_IN_USE, keyId, "deactivated at " + deactivatedAt + ", but active again now:"
                    + " someone re-activated it, so it is kept. Find who still needs it; once it is deactivated by hand, a"
                    + " sweep deletes it no sooner than " + now.plus(target.timing().retirement().deleteAfter()));
        }
        boolean deleted = api.revoke(management, keyId);
        context.history().clearDeactivation(keyId);
        return deleted ? RetirementResult.of(DELETED, keyId, "deleted after its hold of " + target.timing().retirement().deleteAfter())
                : RetirementResult.of(NOTHING, keyId, "already deleted");
    }

    private Credential management(String step) {
        return target.managementCredential(context, step, context.current());
    }
}
