package dev.secretrotator.config;

import java.time.Duration;

/**
 * When a previous credential is retired.
 *
 * @param gracePeriod how long after the cutover the previous credential stays untouched
 * @param quietPeriod how long it must have gone unused before it is deactivated or rotated away
 * @param deleteAfter how long a deactivated credential is held before it is deleted
 */
public record Retirement(Duration gracePeriod, Duration quietPeriod, Duration deleteAfter) {
    public static final Retirement DEFAULT =
            new Retirement(Duration.ofHours(24), Duration.ofHours(4), Duration.ofHours(48));
}
