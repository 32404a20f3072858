package dev.secretrotator.config;

/**
 * Minimal wildcard matching for ARN allow-lists, as IAM reads resource ARNs: {@code *} matches any
 * run of characters, {@code ?} exactly one (aws-cdk grants a secret imported by name as
 * {@code <arn>-??????}). No other metacharacters.
 */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text) {
        if (text == null) {
            return false;
        }
        if (pattern.indexOf('?') >= 0) {
            return text.matches(regex(pattern));
        }
        String[] parts = pattern.split("\\*", -1);
        if (parts.length == 1) {
            return pattern.equals(text);
        }
        if (!text.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = text.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return text.length() - at >= last.length() && text.endsWith(last);
    }

    private static String regex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (String part : pattern.split("(?=[*?])|(?<=[*?])")) {
            re.append(switch (part) {
                case "*" -> ".*";
                case "?" -> ".";
                default -> java.util.regex.Pattern.quote(part);
            });
        }
        return re.toString();
    }

    /**
     * The literal secret-name prefix of an allow-list pattern: the name part (after
     * {@code :secret:}) up to its first wildcard, or without the 6-character suffix of a complete
     * ARN; empty when the pattern is not a secret ARN or its name starts with a wildcard.
     */
    static String secretNamePrefix(String pattern) {
        int at = pattern.indexOf(":secret:");
        if (at < 0) {
            return "";
        }
        String name = pattern.substring(at + ":secret:".length());
        int wildcard = name.replace('?', '*').indexOf('*');
        if (wildcard >= 0) {
            return name.substring(0, wildcard);
        }
        return name.matches(".+-[A-Za-z0-9]{6}") ? name.substring(0, name.length() - 7) : name;
    }
}
