package dev.secretrotator.testing.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small IAM identity-policy evaluator for tests: explicit Deny wins, then any Allow, else the
 * default deny. It knows only what this project's policies use, and fails loudly
 * ({@link UnsupportedPolicyException}) on anything else, so an unknown construct can never pass a
 * call by accident.
 *
 * <p>Supported: {@code Effect}, {@code Action}/{@code NotAction} (case-insensitive, {@code *} and
 * {@code ?}), {@code Resource}/{@code NotResource} ({@code *} and {@code ?}), and the condition
 * operators of {@link Conditions}. Statements are the JSON objects of a policy document (maps and
 * lists, every intrinsic already resolved). Stateless and thread-safe.
 */
public final class PolicyEvaluator {

    /** The outcome and the statement that decided it (its Sid, or its index). */
    public record Decision(Effect effect, String statement) {
        public boolean allowed() {
            return effect == Effect.ALLOW;
        }
    }

    public enum Effect { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    private static final Set<String> KNOWN_ELEMENTS =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");

    private PolicyEvaluator() {}

    /** Evaluates one request against the statements of one or more identity policies. */
    public static Decision evaluate(List<Map<String, Object>> statements, Request request) {
        Decision allow = null;
        for (int i = 0; i < statements.size(); i++) {
            Map<String, Object> statement = statements.get(i);
            if (!applies(statement, request)) {
                continue;
            }
            String name = String.valueOf(statement.getOrDefault("Sid", "#" + i));
            if ("Deny".equals(statement.get("Effect"))) {
                return new Decision(Effect.EXPLICIT_DENY, name);
            }
            if (allow == null) {
                allow = new Decision(Effect.ALLOW, name);
            }
        }
        return allow != null ? allow : new Decision(Effect.IMPLICIT_DENY, "");
    }

    /**
     * Whether some Allow statement covers the action, whatever its resources and conditions: an
     * action-level check for calls recorded without their resources.
     */
    public static boolean coveredByAnAllow(List<Map<String, Object>> statements, String action) {
        return statements.stream().filter(s -> "Allow".equals(s.get("Effect")))
                .anyMatch(s -> matchesEither(s, "Action", "NotAction", action, true));
    }

    private static boolean applies(Map<String, Object> statement, Request request) {
        for (String element : statement.keySet()) {
            if (!KNOWN_ELEMENTS.contains(element)) {
                throw new UnsupportedPolicyException("statement element '" + element + "' is not supported: " + statement);
            }
        }
        Object effect = statement.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new UnsupportedPolicyException("Effect must be Allow or Deny, got " + effect + " in " + statement);
        }
        return matchesEither(statement, "Action", "NotAction", request.action(), true)
                && matchesEither(statement, "Resource", "NotResource", request.resource(), false)
                && Conditions.hold(conditionBlock(statement), request.context());
    }

    private static boolean matchesEither(Map<String, Object> statement, String element, String notElement,
            String value, boolean ignoreCase) {
        boolean has = statement.containsKey(element);
        if (has == statement.containsKey(notElement)) {
            throw new UnsupportedPolicyException("a statement needs exactly one of " + element + " and " + notElement
                    + ": " + statement);
        }
        boolean matched = strings(statement.get(has ? element : notElement), element).stream()
                .anyMatch(pattern -> Glob.matches(pattern, value, ignoreCase));
        return has == matched;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> conditionBlock(Map<String, Object> statement) {
        Object block = statement.getOrDefault("Condition", Map.of());
        if (!(block instanceof Map)) {
            throw new UnsupportedPolicyException("Condition must be an object: " + statement);
        }
        return (Map<String, Object>) block;
    }

    /** A string or a list of strings, as policy elements are written; anything else is refused. */
    static List<String> strings(Object value, String what) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new UnsupportedPolicyException(what + " must hold strings (resolve intrinsics first), got " + o);
                }
                out.add(s);
            }
        } else {
            throw new UnsupportedPolicyException(what + " must be a string or a non-empty list of strings (resolve intrinsics first), got " + value);
        }
        for (String s : out) {
            if (s.contains("${")) {
                throw new UnsupportedPolicyException(what + " uses a policy variable, which is not supported: " + s);
            }
        }
        return out;
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one character. */
    static final class Glob {
        private Glob() {}

        static boolean matches(String pattern, String value, boolean ignoreCase) {
            String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
            String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
            return match(p, 0, v, 0);
        }

        private static boolean match(String p, int pi, String v, int vi) {
            while (pi < p.length()) {
                char c = p.charAt(pi);
                if (c == '*') {
                    for (int k = vi; k <= v.length(); k++) {
                        if (match(p, pi + 1, v, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (vi >= v.length() || (c != '?' && c != v.charAt(vi))) {
                    return false;
                }
                pi++;
                vi++;
            }
            return vi == v.length();
        }
    }
}
