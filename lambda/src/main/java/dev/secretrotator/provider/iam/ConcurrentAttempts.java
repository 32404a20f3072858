package dev.secretrotator.provider.iam;

import dev.secretrotator.provider.ConcurrentCreate;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.util.Map;
import java.util.Optional;

/**
 * Overlapping invocations of one createSecret (see {@link ConcurrentCreate}). A young key held by
 * no version and never used may belong to another invocation that is still running (perhaps not
 * yet recorded in the minting ledger, {@link MintedKeys}); deleting or deactivating it would leave
 * that invocation's pending value holding a dead key. It is left alone until it is stored (this
 * invocation then takes the stored value instead of creating a second key) or old enough that no
 * invocation can still be storing it; then it is an orphan only if the ledger names it. Stateless.
 */
final class ConcurrentAttempts {
    private ConcurrentAttempts() {}

    /** Whether the key is young enough that the invocation that created it may still be storing it. */
    static boolean young(StepContext context, AccessKeys.Key key) {
        return key.created() != null
                && key.created().isAfter(context.services().clock().instant().minus(ConcurrentCreate.IN_FLIGHT));
    }

    /**
     * The pending value if another invocation has stored it; otherwise waits one poll interval
     * (within the function's deadline) and returns empty, for the caller to look again.
     *
     * @param inFlight the young, unstored key being waited for
     */
    static Optional<SecretValue> storedOrWait(StepContext context, AccessKeys.Key inFlight) {
        Optional<SecretValue> stored = ConcurrentCreate.stored(context);
        if (stored.isPresent()) {
            context.services().telemetry().info("another invocation of createSecret stored the pending value:"
                    + " taking it instead of creating a key", Map.of("secretId", context.secretId(),
                    "versionId", context.versionId(), "accessKeyId", stored.get().string(IamSecret.KEY_ID).orElse("")));
            return stored;
        }
        ConcurrentCreate.pause("access key " + inFlight.id() + " (created " + inFlight.created()
                + ", held by no version yet) to be stored by a concurrent createSecret or to age into an orphan");
        return Optional.empty();
    }
}
