package dev.secretrotator.cdk;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a secret rotates: a Secrets Manager {@code cron()} expression and a rotation window. (Named
 * so as not to clash with aws-cdk-lib's {@code secretsmanager.RotationSchedule} construct.)
 *
 * <p>Immutable. Built with {@link #forTier(RiskTier, Stage)} (the house schedule: the n-th Tuesday
 * of every 1, 2 or 3 months, 09:00 UTC or a {@link RotationWindow} in local time, 4-hour window),
 * {@link #cron(String, int)} for anything else, or {@link #rate(String, int)} for a fixed interval. All
 * validate against the rules Secrets Manager enforces at deploy time, so a bad schedule
 * fails at synth instead of half-way through a deployment.
 */
public final class RotationCalendar {

    /**
     * Default window start: 09:00 UTC, which is 10:00 (winter) or 11:00 (summer) in Central Europe but
     * 04:00 or 05:00 in New York: teams elsewhere give their window in local time ({@link RotationWindow}).
     */
    public static final int DEFAULT_START_HOUR_UTC = 9;
    /** Default window length in hours. */
    public static final int DEFAULT_WINDOW_HOURS = 4;

    // cron(Minutes Hours Day-of-month Month Day-of-week Year); Secrets Manager wants minutes 0 and year *
    private static final Pattern RATE = Pattern.compile("^rate\\((\\d{1,4}) (days|hours)\\)$");
    private static final Pattern CRON = Pattern.compile("^cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)$");

    private final String expression;
    private final int windowHours;
    private final RiskTier tier;
    private final Stage stage;
    private final RotationWindow window;

    private RotationCalendar(String expression, int windowHours, RiskTier tier, Stage stage, RotationWindow window) {
        this.expression = expression;
        this.windowHours = windowHours;
        this.tier = tier;
        this.stage = stage;
        this.window = window;
    }

    /** The house schedule for a tier and an environment, with the default window. */
    public static RotationCalendar forTier(RiskTier tier, Stage stage) {
        return forTier(tier, stage, DEFAULT_START_HOUR_UTC, DEFAULT_WINDOW_HOURS);
    }

    /**
     * The house schedule for a tier and an environment: the {@link Stage#weekOfMonth()}-th Tuesday of
     * every {@link RiskTier#months()} months, starting in January, window opening at
     * {@code startHourUtc} for {@code windowHours}.
     */
    public static RotationCalendar forTier(RiskTier tier, Stage stage, int startHourUtc, int windowHours) {
        return forTier(tier, stage, RotationWindow.utc(startHourUtc, windowHours));
    }

    /**
     * The house schedule with a window in local time, converted to the UTC {@code cron()} Secrets Manager
     * takes at the zone's standard offset; see {@link RotationWindow} for what daylight saving time does.
     */
    public static RotationCalendar forTier(RiskTier tier, Stage stage, RotationWindow window) {
        Objects.requireNonNull(tier, "tier must not be null");
        Objects.requireNonNull(stage, "stage must not be null");
        Objects.requireNonNull(window, "window must not be null; use RotationWindow.DEFAULT");
        String months = tier.months() == 1 ? "*" : "1/" + tier.months();
        String expression = "cron(0 " + window.utcStartHour() + " ? " + months + " TUE#" + stage.weekOfMonth() + " *)";
        return validated(expression, window.hours(), tier, stage, window);
    }

    /**
     * A custom schedule.
     *
     * @param expression  a Secrets Manager {@code cron()} expression, for example {@code cron(0 9 ? * TUE#2 *)}
     * @param windowHours length of the rotation window, 1 to 24 hours, not past midnight UTC
     * @throws IllegalArgumentException when Secrets Manager would reject the schedule
     */
    public static RotationCalendar cron(String expression, int windowHours) {
        return validated(expression, windowHours, null, null, null);
    }

    /**
     * A fixed-interval schedule, which Secrets Manager also accepts: {@code rate(N days)} (N 1 to
     * 1000) or {@code rate(N hours)} (N 4 to 23: "as often as every four hours"; 24 hours is
     * {@code rate(1 days)}). The window opens at midnight UTC and lasts {@code windowHours}: for
     * days, 1 to 24 hours; for hours, at most N hours, so it never runs into the next window.
     *
     * <p>Prefer {@link #cron}: a rate rotates at any hour of the day, not on a working day, and AWS
     * notes that after a schedule change with {@code RotateImmediatelyOnUpdate=false} "the previously
     * scheduled rotation might still occur" for rate schedules.
     *
     * @throws IllegalArgumentException when Secrets Manager would reject the schedule
     */
    public static RotationCalendar rate(String expression, int windowHours) {
        Matcher m = RATE.matcher(String.valueOf(expression));
        if (!m.matches()) {
            throw new IllegalArgumentException("scheduleExpression must be rate(N days) or rate(N hours), for example "
                    + "rate(30 days), got '" + expression + "'");
        }
        int n = Integer.parseInt(m.group(1));
        boolean hours = "hours".equals(m.group(2));
        if (hours ? n < 4 || n > 23 : n < 1 || n > 1000) {
            throw new IllegalArgumentException("scheduleExpression " + expression + " is out of range: Secrets Manager "
                    + "accepts rate(4 hours) to rate(23 hours) and rate(1 days) to rate(1000 days)");
        }
        int maxWindow = hours ? n : 24;
        if (windowHours < 1 || windowHours > maxWindow) {
            throw new IllegalArgumentException("rotation window of " + expression + " must be 1 to " + maxWindow
                    + " hours (it opens at midnight UTC and must not run into the next window or day), got "
                    + windowHours + " hours");
        }
        return new RotationCalendar(expression, windowHours, null, null, null);
    }

    private static RotationCalendar validated(String expression, int windowHours, RiskTier tier, Stage stage,
            RotationWindow window) {
        Matcher m = CRON.matcher(String.valueOf(expression));
        if (!m.matches()) {
            throw new IllegalArgumentException("scheduleExpression must be cron(Minutes Hours Day-of-month Month "
                    + "Day-of-week Year), for example cron(0 9 ? * TUE#2 *), got '" + expression + "'"
                    + (String.valueOf(expression).startsWith("rate(") ? "; for a rate use RotationCalendar.rate(...)" : ""));
        }
        if (!"0".equals(m.group(1))) {
            throw new IllegalArgumentException("scheduleExpression minutes must be 0 because rotation windows "
                    + "open on the hour, got '" + m.group(1) + "' in " + expression);
        }
        if (!"*".equals(m.group(6))) {
            throw new IllegalArgumentException("scheduleExpression year must be *, got '" + m.group(6)
                    + "' in " + expression);
        }
        if (windowHours < 1 || windowHours > 24) {
            throw new IllegalArgumentException("rotation window must be 1 to 24 hours, got " + windowHours + " hours");
        }
        OptionalInt hour = singleHour(m.group(2));
        if (hour.isEmpty()) {
            throw new IllegalArgumentException("scheduleExpression hours must be one hour 0-23 (a rotation "
                    + "runs at most once a day here), got '" + m.group(2) + "' in " + expression);
        }
        if (hour.getAsInt() + windowHours > 24) {
            throw new IllegalArgumentException("rotation window must not extend past midnight UTC: start hour "
                    + hour.getAsInt() + " + " + windowHours + " hours > 24; shorten the window or start earlier");
        }
        return new RotationCalendar(expression, windowHours, tier, stage, window);
    }

    private static OptionalInt singleHour(String field) {
        if (!field.matches("\\d{1,2}")) {
            return OptionalInt.empty();
        }
        int h = Integer.parseInt(field);
        return h <= 23 ? OptionalInt.of(h) : OptionalInt.empty();
    }

    /** The {@code RotationRules.ScheduleExpression} value. */
    public String expression() {
        return expression;
    }

    /** The {@code RotationRules.Duration} value, for example {@code 4h}. */
    public String duration() {
        return windowHours + "h";
    }

    public int windowHours() {
        return windowHours;
    }

    /**
     * Which hours the window covers: for a {@link #forTier} schedule the local hours in standard and in
     * daylight saving time ({@link RotationWindow#describe()}); for a custom {@link #cron} or {@link #rate} the UTC expression.
     */
    public String describeWindow() {
        return window != null ? window.describe() : expression + " for " + windowHours + "h (UTC)";
    }

    /**
     * For a {@link #forTier} schedule, the longest possible gap between two rotations in days
     * (computed over a full 28-year calendar cycle); -1 for a custom {@link #cron} or {@link #rate} schedule.
     */
    public int maxDaysBetweenRotations() {
        if (tier == null) {
            return -1;
        }
        long max = 0;
        LocalDate previous = null;
        for (int year = 2024; year < 2024 + 28; year++) {
            for (int month = 1; month <= 12; month += tier.months()) {
                LocalDate day = LocalDate.of(year, month, 1)
                        .with(TemporalAdjusters.dayOfWeekInMonth(stage.weekOfMonth(), DayOfWeek.TUESDAY));
                if (previous != null) {
                    max = Math.max(max, day.toEpochDay() - previous.toEpochDay());
                }
                previous = day;
            }
        }
        return (int) max;
    }

    @Override
    public String toString() {
        return expression + " window " + duration();
    }
}
