package dev.secretrotator.config;

/** Minimal {@code *} wildcard matching for ARN allow-lists (no other metacharacters). */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text) {
        if (text == null) {
            return false;
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
}
