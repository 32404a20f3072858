package dev.secretrotator.ops;

import dev.secretrotator.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Operation events ({@code {"action": ...}}) beside the rotation steps:
 * {@code {"action": "sweep", "secretIds": [...]}} runs the retirement sweep and returns its
 * report; without {@code secretIds} it sweeps every secret this function rotates (found with
 * {@code ListSecrets}).
 */
public final class Operations {
    private final Sweep sweep;

    public Operations(Sweep sweep) {
        this.sweep = sweep;
    }

    public Sweep sweep() {
        return sweep;
    }

    /**
     * Runs one operation event.
     *
     * @return the result to return to the caller (a JSON-writable structure)
     * @throws InvalidInputException for an unknown action or malformed fields
     */
    public Object run(String action, Map<String, Object> event) {
        if ("sweep".equals(action)) {
            List<String> ids = event.containsKey("secretIds") ? secretIds(event) : sweep.managedSecrets();
            return Map.of("sweep", sweep.run(ids, false));
        }
        throw new InvalidInputException("unknown action '" + action + "'; known actions: sweep");
    }

    static List<String> secretIds(Map<String, Object> event) {
        Object ids = event.get("secretIds");
        if (!(ids instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidInputException("action sweep: \"secretIds\" must be a non-empty list of secret ARNs or names"
                    + " (leave it out to sweep every secret this function rotates; that needs secretsmanager:ListSecrets)");
        }
        List<String> out = new ArrayList<>();
        for (Object id : list) {
            if (!(id instanceof String s) || s.isBlank()) {
                throw new InvalidInputException("action sweep: every entry of \"secretIds\" must be a non-empty string");
            }
            out.add(s);
        }
        return out;
    }
}
