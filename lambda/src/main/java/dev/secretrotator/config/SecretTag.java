package dev.secretrotator.config;

import dev.secretrotator.ConfigurationException;
import java.util.Optional;

/**
 * The tag that selects the secrets a deployment rotates ({@code ROTATOR_SECRET_TAG=key=value}, for
 * example {@code rotation-deployment=platform}): a secret without it is refused like one outside
 * the allow-list, and the sweep finds its secrets with a ListSecrets tag filter.
 */
public record SecretTag(String key, String value) {

    public SecretTag {
        if (key == null || key.isBlank() || value == null || value.isBlank()) {
            throw new ConfigurationException("ROTATOR_SECRET_TAG must be key=value with both non-blank, got '"
                    + key + "=" + value + "'");
        }
    }

    /** Empty for an unset or blank variable; a value without {@code =} fails and names the variable. */
    static Optional<SecretTag> parse(String env) {
        if (env == null || env.isBlank()) {
            return Optional.empty();
        }
        int eq = env.indexOf('=');
        if (eq < 0) {
            throw new ConfigurationException("ROTATOR_SECRET_TAG must be key=value (for example rotation-deployment=platform),"
                    + " got '" + env + "'");
        }
        return Optional.of(new SecretTag(env.substring(0, eq).trim(), env.substring(eq + 1).trim()));
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
