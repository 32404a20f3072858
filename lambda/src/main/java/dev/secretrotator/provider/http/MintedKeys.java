package dev.secretrotator.provider.http;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keys this container minted recently, by secret and version token: when createSecret fails
 * after the vendor minted a key but before the engine stored it (PutSecretValue failed), the
 * service's retry usually lands on the same warm container, which can then reuse the key instead
 * of revoking it and minting another. Held in memory only, for {@link #TTL}, at most
 * {@link #CAPACITY} entries; a cold container finds nothing and the key is revoked instead.
 * Also which rotations this container asked the vendor for a key (answered or not), so an unknown
 * key of the rotation's name can be told from another, overlapping invocation's.
 * Thread-safe.
 */
final class MintedKeys {
    static final Duration TTL = Duration.ofMinutes(30);
    static final int CAPACITY = 16;

    private record Entry(KeyApi.Minted key, Instant at) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>(CAPACITY, 0.75f, false) {
        // qualified: inside a Map subclass a bare Entry is the inherited Map.Entry for javac 25 (not for 17)
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MintedKeys.Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void remember(String secretArn, String versionId, KeyApi.Minted key, Instant now) {
        entries.put(secretArn + "|" + versionId, new Entry(key, now));
    }

    synchronized Optional<KeyApi.Minted> recall(String secretArn, String versionId, Instant now) {
        Entry entry = entries.get(secretArn + "|" + versionId);
        if (entry == null || entry.at.plus(TTL).isBefore(now)) {
            return Optional.empty();
        }
        return Optional.of(entry.key);
    }

    synchronized void forget(String secretArn, String versionId) {
        entries.remove(secretArn + "|" + versionId);
    }

    private final Map<String, Instant> attempts = new LinkedHashMap<>(CAPACITY, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Records that this container is about to ask the vendor for a key for this rotation. */
    synchronized void attempting(String secretArn, String versionId, Instant now) {
        attempts.put(secretArn + "|" + versionId, now);
    }

    /**
     * Whether this container asked for a key for this rotation recently: a key of the rotation's
     * name it does not know is then most likely its own, minted by a call whose answer was lost.
     */
    synchronized boolean attempted(String secretArn, String versionId, Instant now) {
        Instant at = attempts.get(secretArn + "|" + versionId);
        return at != null && !at.plus(TTL).isBefore(now);
    }
}
