package dev.secretrotator.cdk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The environment a secret belongs to. Environments rotate on consecutive weeks of the same month
 * (the first, second and third Tuesday), so staging rotates exactly one week before production
 * and a broken provider shows up where it hurts least.
 */
public enum Stage {
    DEVELOPMENT(1),
    STAGING(2),
    PRODUCTION(3);

    private final int weekOfMonth;

    Stage(int weekOfMonth) {
        this.weekOfMonth = weekOfMonth;
    }

    /** Which Tuesday of the month this environment rotates on (1 to 3). */
    public int weekOfMonth() {
        return weekOfMonth;
    }

    /**
     * Parses an environment name from a configuration value ({@code staging}, {@code prod}, ...).
     *
     * @throws IllegalArgumentException naming the value received and the accepted ones
     */
    public static Stage parse(String value) {
        String v = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "dev", "development":
                return DEVELOPMENT;
            case "staging", "stage":
                return STAGING;
            case "prod", "production":
                return PRODUCTION;
            default:
                throw new IllegalArgumentException("environment must be one of "
                        + Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", "))
                        + ", got '" + value + "'");
        }
    }
}
