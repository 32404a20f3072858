package dev.secretrotator.testing.iam;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The condition block of a statement: every operator must hold, and within an operator every key.
 * Operators: {@code StringEquals}, {@code StringNotEquals}, {@code StringLike}, {@code ArnEquals},
 * {@code ArnLike}, {@code ForAllValues:StringLike}, {@code ForAnyValue:StringEquals},
 * {@code ForAnyValue:StringLike}, {@code Null}. Keys: {@code aws:ResourceTag/<key>},
 * {@code aws:TagKeys}, {@code kms:ViaService}, {@code aws:SourceArn}, {@code aws:SourceAccount}.
 * Anything else throws {@link UnsupportedPolicyException}. Key names match case-insensitively, as
 * IAM documents for condition keys ({@code AWS:SourceArn} is {@code aws:SourceArn}); values are
 * compared case-sensitively. {@code ArnEquals} and {@code ArnLike} match an ARN component by
 * component: the first five {@code :}-separated components each on their own (a {@code *} never
 * crosses a {@code :} there), the sixth (the resource, which may hold {@code :}) as a whole.
 *
 * <p>Semantics as IAM documents them: a key missing from the request fails a positive operator,
 * passes a negated one ({@code StringNotEquals}) and passes {@code ForAllValues} (which is why
 * grants pair it with {@code Null}); {@code ForAnyValue} needs at least one value.
 */
final class Conditions {
    private static final Set<String> KEYS = Set.of("aws:TagKeys", "kms:ViaService", "aws:SourceArn", "aws:SourceAccount");

    private Conditions() {}

    @SuppressWarnings("unchecked")
    static boolean hold(Map<String, Object> block, Map<String, List<String>> context) {
        for (Map.Entry<String, Object> operator : block.entrySet()) {
            if (!(operator.getValue() instanceof Map)) {
                throw new UnsupportedPolicyException("condition " + operator.getKey() + " must map keys to values");
            }
            for (Map.Entry<String, Object> key : ((Map<String, Object>) operator.getValue()).entrySet()) {
                checkKey(key.getKey());
                List<String> wanted = PolicyEvaluator.strings(key.getValue(), operator.getKey() + " " + key.getKey());
                List<String> actual = valuesOf(context, key.getKey());
                if (!holds(operator.getKey(), wanted, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, List<String> wanted, List<String> actual) {
        boolean present = actual != null && !actual.isEmpty();
        return switch (operator) {
            case "StringEquals" -> present && anyPair(actual, wanted, String::equals);
            case "StringNotEquals" -> !present || !anyPair(actual, wanted, String::equals);
            case "StringLike" -> present && anyPair(actual, wanted, Conditions::like);
            case "ArnLike", "ArnEquals" -> present && anyPair(actual, wanted, Conditions::arnLike);
            case "ForAnyValue:StringEquals" -> present && anyPair(actual, wanted, String::equals);
            case "ForAnyValue:StringLike" -> present && anyPair(actual, wanted, Conditions::like);
            case "ForAllValues:StringLike" -> !present
                    || actual.stream().allMatch(a -> wanted.stream().anyMatch(w -> like(a, w)));
            case "Null" -> nullHolds(wanted, present);
            default -> throw new UnsupportedPolicyException("condition operator '" + operator + "' is not supported");
        };
    }

    private static boolean nullHolds(List<String> wanted, boolean present) {
        if (wanted.size() != 1 || !Set.of("true", "false").contains(wanted.get(0))) {
            throw new UnsupportedPolicyException("Null takes \"true\" or \"false\", got " + wanted);
        }
        return Boolean.parseBoolean(wanted.get(0)) != present;
    }

    private static boolean anyPair(List<String> actual, List<String> wanted, BiPredicate<String, String> test) {
        return actual.stream().anyMatch(a -> wanted.stream().anyMatch(w -> test.test(a, w)));
    }

    private static boolean like(String value, String pattern) {
        return PolicyEvaluator.Glob.matches(pattern, value, false);
    }

    // an ARN has six components; the last (the resource) may itself contain ':'
    private static boolean arnLike(String value, String pattern) {
        String[] v = value.split(":", 6);
        String[] p = pattern.split(":", 6);
        if (v.length != 6 || p.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!like(v[i], p[i])) {
                return false;
            }
        }
        return true;
    }

    private static List<String> valuesOf(Map<String, List<String>> context, String key) {
        return context.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).findFirst()
                .map(Map.Entry::getValue).orElse(null);
    }

    private static void checkKey(String key) {
        String prefix = "aws:resourcetag/";
        boolean resourceTag = key.regionMatches(true, 0, prefix, 0, prefix.length()) && key.length() > prefix.length();
        if (KEYS.stream().noneMatch(key::equalsIgnoreCase) && !resourceTag) {
            throw new UnsupportedPolicyException("condition key '" + key + "' is not supported");
        }
    }
}
