package dev.secretrotator.provider.iam;

import dev.secretrotator.provider.StepContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys this function minted, kept in the secret's minting ledger
 * ({@link dev.secretrotator.provider.SecretHistory#minted}: key id → the rotation's version id).
 * A key is recorded right after {@code CreateAccessKey} and before createSecret returns it, so a
 * key in the ledger that no version holds was never handed to anyone: the orphan of a failed or
 * abandoned attempt, safe to delete at once. Nothing else is: a key made by an operator between
 * rotations, or one this function created but failed to record (a crash between the two calls),
 * goes through the normal retirement lifecycle. Entries are cleared when the key is deleted or
 * held by the current or previous version, so the ledger stays within the secret's 50 tags.
 * Stateless.
 */
final class MintedKeys {
    private MintedKeys() {}

    /**
     * Records the key as minted by this rotation. If that fails, deletes the key (nobody has it)
     * and rethrows, so no unrecorded key of this function is left behind.
     */
    static void record(StepContext context, AccessKeys keys, String keyId) {
        try {
            context.history().recordMinted(keyId, context.versionId());
        } catch (RuntimeException e) {
            try {
                keys.delete(keyId);
            } catch (RuntimeException notDeleted) {
                e.addSuppressed(notDeleted);
            }
            throw e;
        }
    }

    /** Whether the key is in the ledger and held by neither the current, the pending nor the previous version. */
    static boolean isOrphan(StepContext context, AccessKeys.Key key) {
        return context.history().minted().containsKey(key.id()) && !held(context).contains(key.id());
    }

    /** Whether the key is in the ledger as minted by the rotation of this step. */
    static boolean ofThisRotation(StepContext context, AccessKeys.Key key) {
        return context.versionId().equals(context.history().minted().get(key.id()));
    }

    /** Clears the entries of keys that are gone or held by the current or previous version. */
    static void tidy(StepContext context, List<AccessKeys.Key> listed) {
        Set<String> present = listed.stream().map(AccessKeys.Key::id).collect(Collectors.toSet());
        Set<String> held = held(context);
        for (String keyId : List.copyOf(context.history().minted().keySet())) {
            if (!present.contains(keyId) || held.contains(keyId)) {
                context.history().clearMinted(keyId);
            }
        }
    }

    /** Forgets a deleted key in both ledgers (deactivation and minting). */
    static void forget(StepContext context, String keyId) {
        context.history().clearDeactivation(keyId);
        context.history().clearMinted(keyId);
    }

    /** The key ids of the current, pending and previous values. */
    static Set<String> held(StepContext context) {
        Set<String> held = new HashSet<>();
        context.current().string(IamSecret.KEY_ID).ifPresent(held::add);
        context.pending().flatMap(p -> p.string(IamSecret.KEY_ID)).ifPresent(held::add);
        context.history().previous().flatMap(p -> p.string(IamSecret.KEY_ID)).ifPresent(held::add);
        return held;
    }
}
