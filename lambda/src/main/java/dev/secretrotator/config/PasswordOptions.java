package dev.secretrotator.config;

import java.util.Map;

/**
 * The options of AWS's password rotation templates, with the same names and defaults.
 */
public record PasswordOptions(
        int length,
        String excludeCharacters,
        boolean excludeNumbers,
        boolean excludePunctuation,
        boolean excludeUppercase,
        boolean excludeLowercase,
        boolean requireEachIncludedType) {

    /** AWS's template default for {@code EXCLUDE_CHARACTERS}. */
    public static final String DEFAULT_EXCLUDE_CHARACTERS = ":/@\"'\\";

    static PasswordOptions fromEnv(Map<String, String> env) {
        int length = RotatorConfig.integer(env, "PASSWORD_LENGTH", 32);
        if (length < 4 || length > 4096) {
            throw new dev.secretrotator.ConfigurationException(
                    "PASSWORD_LENGTH must be between 4 and 4096, got " + length);
        }
        return new PasswordOptions(
                length,
                env.getOrDefault("EXCLUDE_CHARACTERS", DEFAULT_EXCLUDE_CHARACTERS),
                RotatorConfig.bool(env, "EXCLUDE_NUMBERS", false),
                RotatorConfig.bool(env, "EXCLUDE_PUNCTUATION", false),
                RotatorConfig.bool(env, "EXCLUDE_UPPERCASE", false),
                RotatorConfig.bool(env, "EXCLUDE_LOWERCASE", false),
                RotatorConfig.bool(env, "REQUIRE_EACH_INCLUDED_TYPE", true));
    }
}
