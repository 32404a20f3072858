package dev.secretrotator.cdk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How often a secret is rotated, by how much damage a leaked credential would do.
 *
 * <p>Secrets Manager cron schedules are calendar based, so a tier is a number of calendar months
 * rather than an exact number of days: {@code HIGH} rotates every month (nominal 30 days),
 * {@code MEDIUM} every second month (60), {@code LOW} every quarter (90). Because the rotation
 * day is "the n-th Tuesday", two consecutive rotations are a whole number of weeks apart and can
 * be longer than the nominal days: at most 35, 63 and 98 days
 * ({@link RotationCalendar#maxDaysBetweenRotations()}).
 */
public enum RiskTier {
    /** Credentials that reach production data or can escalate: every month. */
    HIGH(30, 1),
    /** Service-to-service credentials with a narrow scope: every second month. */
    MEDIUM(60, 2),
    /** Read-only or low-value credentials: every quarter. */
    LOW(90, 3);

    private final int nominalDays;
    private final int months;

    RiskTier(int nominalDays, int months) {
        this.nominalDays = nominalDays;
        this.months = months;
    }

    public int nominalDays() {
        return nominalDays;
    }

    /** Months between two rotations. */
    public int months() {
        return months;
    }

    /**
     * Parses a tier from a configuration value: the name ({@code high}) or the nominal days ({@code 30}).
     *
     * @throws IllegalArgumentException naming the value received and the accepted ones
     */
    public static RiskTier parse(String value) {
        for (RiskTier tier : values()) {
            if (tier.name().equalsIgnoreCase(String.valueOf(value).trim())
                    || String.valueOf(tier.nominalDays).equals(String.valueOf(value).trim())) {
                return tier;
            }
        }
        throw new IllegalArgumentException("tier must be one of " + accepted() + ", got '" + value + "'");
    }

    private static String accepted() {
        return Arrays.stream(values())
                .map(t -> t.name().toLowerCase(Locale.ROOT) + " (" + t.nominalDays + ")")
                .collect(Collectors.joining(", "));
    }
}
