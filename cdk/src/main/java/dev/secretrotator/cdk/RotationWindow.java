package dev.secretrotator.cdk;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.Objects;

/**
 * The daily rotation window of the house calendar ({@link RotationCalendar#forTier(RiskTier, Stage, RotationWindow)}):
 * a start hour in a time zone and a length in hours.
 *
 * <p>Secrets Manager's {@code cron()} is in UTC and has no time zone, so a local window is converted
 * once, at synth, with the zone's <b>standard</b> (winter) offset: in standard time the window covers
 * exactly the configured local hours; while daylight saving time is in effect it covers the same UTC
 * hours, which are one hour later on the local clock (for example {@code America/New_York} 09:00 for
 * 4 hours is {@code cron(0 14 ...)}: 09:00-13:00 EST in winter, 10:00-14:00 EDT in summer). It never
 * opens before the configured local hour. {@link #describe()} states both, and the synthesized
 * rotation schedule carries that text in its metadata.
 *
 * @param zone      an IANA time zone, for example {@code Europe/Berlin}; {@code UTC} for a UTC window
 * @param startHour the local hour the window opens, 0-23
 * @param hours     the window's length, 1-24 hours
 */
public record RotationWindow(ZoneId zone, int startHour, int hours) {

    /** The default: 09:00 UTC for 4 hours (10:00-14:00 in Central Europe in winter; before work in the Americas). */
    public static final RotationWindow DEFAULT = utc(RotationCalendar.DEFAULT_START_HOUR_UTC, RotationCalendar.DEFAULT_WINDOW_HOURS);

    public RotationWindow {
        Objects.requireNonNull(zone, "zone must not be null; use ZoneOffset.UTC for a UTC window");
        if (startHour < 0 || startHour > 23) {
            throw new IllegalArgumentException("rotation window start hour must be 0-23, got " + startHour);
        }
        if (hours < 1 || hours > 24) {
            throw new IllegalArgumentException("rotation window must be 1 to 24 hours, got " + hours + " hours");
        }
    }

    public static RotationWindow utc(int startHourUtc, int hours) {
        return new RotationWindow(ZoneOffset.UTC, startHourUtc, hours);
    }

    /**
     * @param timeZone an IANA time zone id, for example {@code America/New_York}
     * @throws IllegalArgumentException for an unknown zone id
     */
    public static RotationWindow local(String timeZone, int startHour, int hours) {
        try {
            return new RotationWindow(ZoneId.of(timeZone), startHour, hours);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("timeZone must be an IANA time zone id such as Europe/Berlin or "
                    + "America/New_York, got '" + timeZone + "'", e);
        }
    }

    /**
     * The UTC hour of the {@code cron()} expression: the local start hour at the zone's standard offset.
     *
     * @throws IllegalArgumentException when the standard offset is not a whole number of hours (windows open
     *     on the hour UTC), or when the window would start on the previous or the next UTC day (the
     *     n-th-Tuesday calendar is a UTC calendar) or run past midnight UTC
     */
    public int utcStartHour() {
        int offsetSeconds = standardOffset().getTotalSeconds();
        if (offsetSeconds % 3600 != 0) {
            throw new IllegalArgumentException("time zone " + zone + " is UTC" + standardOffset() + " in standard time, "
                    + "but Secrets Manager windows open on the full UTC hour; give the window in UTC (startHourUtc) instead");
        }
        int offset = offsetSeconds / 3600;
        int utc = startHour - offset;
        if (utc < 0 || utc > 23 || utc + hours > 24) {
            int earliest = Math.max(0, offset);
            int latest = Math.min(23, 24 + offset - hours);
            throw new IllegalArgumentException("rotation window " + local(startHour) + "-" + local(startHour + hours) + " "
                    + zone + " is " + local(utc) + "-" + local(utc + hours) + " UTC in standard time, which crosses"
                    + " midnight UTC: the calendar's weekday is a UTC weekday, so the window must stay within one UTC day; "
                    + (earliest <= latest ? "start it between " + local(earliest) + " and " + local(latest) + " local time"
                    : "shorten it") + ", or give it in UTC (startHourUtc)");
        }
        return utc;
    }

    /**
     * Which local hours the window covers, for the docs and the synthesized metadata, for example
     * {@code "cron hour 14 UTC for 4h: 09:00-13:00 America/New_York in standard time (UTC-05:00),
     * 10:00-14:00 in daylight saving time (UTC-04:00)"}.
     */
    public String describe() {
        int utc = utcStartHour();
        String head = "cron hour " + utc + " UTC for " + hours + "h: ";
        if (zone.normalized() instanceof ZoneOffset offset && offset.getTotalSeconds() == 0) {
            return head + local(utc) + "-" + local(utc + hours) + " UTC all year";
        }
        ZoneOffset standard = standardOffset();
        ZoneOffset daylight = daylightOffset();
        String inStandard = local(startHour) + "-" + local(startHour + hours) + " " + zone;
        if (daylight.equals(standard)) {
            return head + inStandard + " all year (UTC" + standard + ", no daylight saving time)";
        }
        LocalTime opens = LocalTime.of(utc, 0).plusSeconds(daylight.getTotalSeconds());
        return head + inStandard + " in standard time (UTC" + standard + "), " + opens + "-" + opens.plusHours(hours)
                + " in daylight saving time (UTC" + daylight + ")";
    }

    private ZoneOffset standardOffset() {
        return zone.getRules().getStandardOffset(referenceInstant());
    }

    /** The offset in effect while daylight saving time is (January or July of the reference year). */
    private ZoneOffset daylightOffset() {
        ZoneRules rules = zone.getRules();
        int year = Year.now(ZoneOffset.UTC).getValue();
        for (int month : new int[] {1, 7}) {
            Instant instant = LocalDate.of(year, month, 15).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (rules.isDaylightSavings(instant)) {
                return rules.getOffset(instant);
            }
        }
        return standardOffset();
    }

    private static Instant referenceInstant() {
        return LocalDate.of(Year.now(ZoneOffset.UTC).getValue(), 1, 15).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String local(int hour) {
        return hourText(Math.floorMod(hour, 24));
    }

    private static String hourText(int hour) {
        return String.format("%02d:00", hour);
    }
}
