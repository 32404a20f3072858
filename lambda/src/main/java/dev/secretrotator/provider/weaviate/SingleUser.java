package dev.secretrotator.provider.weaviate;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.util.Map;

/**
 * One user, one key: {@code rotate-key} revokes the old key at once, so consumers fail from that
 * call until they read the new {@code AWSCURRENT} after finishSecret. The key is rotated at the
 * very end of createSecret, the only step that may store a value (secret versions are immutable
 * and Weaviate makes the key), after every check and read; the remaining steps are kept short.
 * Stateless; thread-safe.
 */
final class SingleUser {
    static final String GAP_WARNING = "single-user strategy: rotate-key revokes the current key at once;"
            + " consumers fail until they read the new AWSCURRENT after finishSecret (a brief gap)."
            + " Use alternating-users for zero downtime";

    private final KeyVerifier verifier;

    SingleUser(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    SecretValue create(StepContext context, WeaviateSecret secret, WeaviateClient client) {
        check(secret, client);
        String user = secret.userId();
        context.services().telemetry().warn(GAP_WARNING, AlternatingUsers.fields(context, user, Map.of("strategy",
                secret.strategy().wireName)));
        return context.current().with("apiKey", client.rotateKey(user));
    }

    /** createSecret's refusals, reading only: the user exists, is a database user, and is active. */
    void check(WeaviateSecret secret, WeaviateClient client) {
        String user = secret.userId();
        UserInfo info = client.user(user).orElseThrow(() -> AlternatingUsers.missing(user, secret));
        AlternatingUsers.requireRotatable(java.util.Optional.of(info), user, "userId", secret);
        if (!info.active()) {
            throw new InvalidInputException("user '" + user + "' is deactivated on Weaviate at " + secret.host()
                    + ": its new key would not work; activate it first; nothing was changed");
        }
    }

    void verify(WeaviateSecret pending, String key, WeaviateClient client) {
        verifier.verify(client::ownInfo, key, pending.userId(), pending.verification());
    }
}
