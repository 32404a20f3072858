package dev.secretrotator.provider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads that one rotation step (or one operation on one secret) has made, for reuse within that
 * step: a provider's read-only checks ({@link RotationProvider#checkCreate}) and the change
 * ({@link RotationProvider#createCredential}) then read a binding once. Only for data that its
 * owner sets and a rotation does not change (an admin secret's tags and value, an IAM user's
 * binding tag): nothing the protocol reads to guard against a concurrent change (a pending value,
 * the version labels, the retirement and minting ledgers) is kept here. A new memo per step, so
 * a change made between steps or rotations is always seen.
 *
 * <p>Thread-safe. A failed read, or one that answered {@code null}, is not remembered: the next use
 * reads again.
 */
public final class StepMemo {
    private final Map<String, Object> values = new ConcurrentHashMap<>();

    /**
     * The value remembered under {@code key}, or {@code read}'s answer, then remembered.
     *
     * @param key names what was read and which resource (e.g. {@code admin-secret:<arn>})
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String key, Supplier<T> read) {
        Object known = values.get(key);
        if (known == null) {
            // read outside the map's lock: the supplier calls AWS
            known = read.get();
            if (known == null) {
                return null; // nothing to remember (e.g. a binary secret's absent string); read again next time
            }
            Object first = values.putIfAbsent(key, known);
            return (T) (first == null ? known : first);
        }
        return (T) known;
    }
}
