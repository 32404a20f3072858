package dev.secretrotator.provider.weaviate;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.VerificationException;
import dev.secretrotator.config.Verification;
import dev.secretrotator.provider.StepContext;
import dev.secretrotator.provider.weaviate.WeaviateSecret.Strategy;
import java.time.Duration;
import java.util.Map;

/**
 * Rollback and repair for {@code weaviate} secrets: makes the key of the {@code AWSPREVIOUS}
 * value usable again where Weaviate still holds it, and stops the key that only an abandoned
 * pending value holds. Stateless; thread-safe.
 */
final class Recovery {
    /** How long a re-activated key may take to authenticate (a cluster propagates the change) before rollback gives up. */
    static final Duration REACTIVATION_WAIT = Duration.ofSeconds(5);

    private final KeyVerifier verifier;

    Recovery(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Rollback: an active previous user whose key still authenticates needs nothing; one a sweep
     * deactivated (key kept) is re-activated. Refuses, with nothing changed, when the user is gone
     * or its key was rotated away or revoked: a user re-activated only to find its key dead is
     * deactivated again before refusing.
     *
     * @param currentUser the user of {@code AWSCURRENT}, whose answer shows whether Weaviate
     *     shows key letters to this management key at all
     * @throws RotationStateException if the key cannot be restored
     */
    void restore(StepContext context, WeaviateSecret previous, String key, String currentUser, WeaviateClient client) {
        String user = previous.userId();
        UserInfo info = client.user(user).orElseThrow(() -> refuse(previous, "no longer exists on Weaviate at " + previous.host()));
        if (info.holdsOtherKeyThan(key)) {
            throw refuse(previous, "holds another key now: the key of that version was rotated away");
        }
        if (info.active()) {
            WeaviateClient.OwnInfo answer = client.ownInfo(key);
            if (answer.status() == 0 || answer.status() >= 500) {
                throw new TargetServiceException("could not check the key of user '" + user + "' for the rollback ("
                        + answer.summary() + "); nothing was changed: try again");
            }
            if (!answer.username().filter(user::equals).isPresent()) {
                throw refuse(previous, "no longer accepts the key of that version (" + answer.summary()
                        + "): it was rotated away or revoked");
            }
            return;
        }
        if (info.keyLetters().isEmpty() && client.user(currentUser).flatMap(UserInfo::keyLetters).isPresent()) {
            throw refuse(previous, "is deactivated with its key revoked (revoke_key, as an emergency rotation does)");
        }
        client.activate(user);
        boolean works;
        try {
            works = authenticates(client, key, previous);
        } catch (RuntimeException e) {
            deactivateAgain(client, user, e);
            throw e;
        }
        if (!works) {
            client.deactivate(user, false);
            throw refuse(previous, "is deactivated and the key of that version did not authenticate once re-activated:"
                    + " it was revoked or rotated away. The user was deactivated again");
        }
        context.history().clearDeactivation(user);
        context.services().telemetry().warn("rollback: re-activated the previous Weaviate user (a sweep had deactivated it,"
                + " keeping its key)", AlternatingUsers.fields(context, user, Map.of()));
    }

    /**
     * Repair: with alternating-users the abandoned key is the idle user's (the current user is
     * never touched): that user is deactivated with its key revoked, and the next rotation
     * re-activates it with a new key. A value naming the current user (single-user) holds that
     * user's only key, since its {@code rotate-key} revoked the one in {@code AWSCURRENT}: it is
     * kept, and the next rotation replaces it.
     */
    void discard(StepContext context, WeaviateSecret abandoned, String currentUser, WeaviateClient client) {
        String user = abandoned.userId();
        if (user.equals(currentUser)) {
            context.services().telemetry().warn("repair: the abandoned key belongs to the current Weaviate user and is"
                    + " its only key (the abandoned createSecret's rotate-key revoked the key in AWSCURRENT): kept;"
                    + " consumers fail until the next rotation replaces it: rotate now", AlternatingUsers.fields(context, user, Map.of()));
            return;
        }
        if (client.user(user).isEmpty()) {
            context.services().telemetry().info("repair: the user of the abandoned key no longer exists; nothing to remove",
                    AlternatingUsers.fields(context, user, Map.of()));
            return;
        }
        AlternatingUsers.revokeKey(client, user);
        context.history().recordDeactivation(user, context.services().clock().instant());
        context.services().telemetry().warn("repair: deactivated the alternate Weaviate user with its key revoked, so the"
                + " abandoned key no longer works; the next rotation re-activates it with a new key",
                AlternatingUsers.fields(context, user, Map.of()));
    }

    private boolean authenticates(WeaviateClient client, String key, WeaviateSecret previous) {
        Duration wait = previous.verification().timeout().compareTo(REACTIVATION_WAIT) < 0
                ? previous.verification().timeout() : REACTIVATION_WAIT;
        try {
            verifier.verify(client::ownInfo, key, previous.userId(), new Verification(wait, 1));
            return true;
        } catch (VerificationException e) {
            return false;
        }
    }

    /** Undoes the re-activation when checking the key failed (timeout, I/O), keeping the first failure. */
    private static void deactivateAgain(WeaviateClient client, String user, RuntimeException failure) {
        try {
            client.deactivate(user, false);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static RotationStateException refuse(WeaviateSecret previous, String why) {
        String hint = previous.strategy() == Strategy.SINGLE_USER
                ? " (single-user: each rotation's rotate-key revokes the previous key at once, so there is nothing to roll back to;"
                        + " rotate again instead)"
                : "";
        return new RotationStateException("cannot roll back to user '" + previous.userId() + "': it " + why + hint
                + "; nothing was changed");
    }
}
