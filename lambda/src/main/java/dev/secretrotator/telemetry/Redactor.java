package dev.secretrotator.telemetry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces every registered sensitive string (secret values, rotation tokens) with
 * {@value #MASK} in text about to be printed. Defence in depth: code never logs values on
 * purpose, and this catches what an exception message or a field might carry by accident.
 *
 * <p>Thread-safe. Values shorter than {@value #MIN_LENGTH} characters are not registered:
 * masking them would garble ordinary words without protecting anything worth a secret.
 */
public final class Redactor {
    public static final String MASK = "***";
    static final int MIN_LENGTH = 6;

    private final Set<String> sensitive = ConcurrentHashMap.newKeySet();

    /** Registers a sensitive value; {@code null} and short values are ignored. */
    public void register(String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            sensitive.add(value);
            String escaped = JsonEscape.escape(value);
            if (!escaped.equals(value)) {
                sensitive.add(escaped);
            }
        }
    }

    public String redact(String text) {
        if (text == null || sensitive.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : sensitive) {
            if (result.contains(value)) {
                result = result.replace(value, MASK);
            }
        }
        return result;
    }
}
