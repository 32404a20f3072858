package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import org.junit.jupiter.api.Test;

class RotationCalendarTest {

    @Test
    void forTier_high_rotatesEveryMonthOnTheStagesTuesday() {
        // WHEN
        RotationCalendar schedule = RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION);

        // THEN
        assertThat(schedule.expression()).isEqualTo("cron(0 9 ? * TUE#3 *)");
        assertThat(schedule.duration()).isEqualTo("4h");
    }

    @Test
    void forTier_mediumAndLow_rotateEverySecondAndThirdMonth() {
        assertThat(RotationCalendar.forTier(RiskTier.MEDIUM, Stage.STAGING).expression())
                .isEqualTo("cron(0 9 ? 1/2 TUE#2 *)");
        assertThat(RotationCalendar.forTier(RiskTier.LOW, Stage.DEVELOPMENT).expression())
                .isEqualTo("cron(0 9 ? 1/3 TUE#1 *)");
    }

    @Test
    void forTier_stagingRotatesExactlyOneWeekBeforeProduction() {
        // GIVEN the second and third Tuesday of every month of a few years
        for (int year = 2025; year <= 2030; year++) {
            for (int month = 1; month <= 12; month++) {
                LocalDate first = LocalDate.of(year, month, 1);
                LocalDate staging = first.with(TemporalAdjusters.dayOfWeekInMonth(
                        Stage.STAGING.weekOfMonth(), DayOfWeek.TUESDAY));
                LocalDate production = first.with(TemporalAdjusters.dayOfWeekInMonth(
                        Stage.PRODUCTION.weekOfMonth(), DayOfWeek.TUESDAY));

                // THEN
                assertThat(production).isEqualTo(staging.plusWeeks(1));
            }
        }
        assertThat(RotationCalendar.forTier(RiskTier.HIGH, Stage.STAGING).expression()).contains("TUE#2");
        assertThat(RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION).expression()).contains("TUE#3");
    }

    @Test
    void maxDaysBetweenRotations_isDocumentedPerTier() {
        // docs/deployment.md states these bounds
        assertThat(RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION).maxDaysBetweenRotations()).isEqualTo(35);
        assertThat(RotationCalendar.forTier(RiskTier.MEDIUM, Stage.PRODUCTION).maxDaysBetweenRotations()).isEqualTo(63);
        assertThat(RotationCalendar.forTier(RiskTier.LOW, Stage.PRODUCTION).maxDaysBetweenRotations()).isEqualTo(98);
    }

    @Test
    void forTier_customWindow_isRendered() {
        RotationCalendar schedule = RotationCalendar.forTier(RiskTier.HIGH, Stage.STAGING, 20, 4);

        assertThat(schedule.expression()).isEqualTo("cron(0 20 ? * TUE#2 *)");
        assertThat(schedule.duration()).isEqualTo("4h");
    }

    @Test
    void cron_windowPastMidnight_isRejectedWithBothNumbers() {
        assertThatThrownBy(() -> RotationCalendar.cron("cron(0 22 ? * TUE#2 *)", 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not extend past midnight UTC")
                .hasMessageContaining("start hour 22 + 4 hours");
    }

    @Test
    void cron_nonZeroMinutes_isRejected() {
        assertThatThrownBy(() -> RotationCalendar.cron("cron(30 9 ? * TUE#2 *)", 4))
                .hasMessageContaining("minutes must be 0")
                .hasMessageContaining("got '30'");
    }

    @Test
    void cron_yearOtherThanStar_isRejected() {
        assertThatThrownBy(() -> RotationCalendar.cron("cron(0 9 ? * TUE#2 2027)", 4))
                .hasMessageContaining("year must be *, got '2027'");
    }

    @Test
    void cron_rateExpression_isRejectedWithAnExample() {
        assertThatThrownBy(() -> RotationCalendar.cron("rate(30 days)", 4))
                .hasMessageContaining("scheduleExpression must be cron(")
                .hasMessageContaining("got 'rate(30 days)'");
    }

    @Test
    void cron_windowOutOfRange_isRejected() {
        assertThatThrownBy(() -> RotationCalendar.cron("cron(0 0 ? * TUE#2 *)", 0))
                .hasMessageContaining("rotation window must be 1 to 24 hours, got 0 hours");
    }

    @Test
    void riskTier_parsesNamesAndDays_andNamesTheAcceptedValues() {
        assertThat(RiskTier.parse("30")).isEqualTo(RiskTier.HIGH);
        assertThat(RiskTier.parse("Low")).isEqualTo(RiskTier.LOW);
        assertThatThrownBy(() -> RiskTier.parse("45"))
                .hasMessageContaining("tier must be one of high (30), medium (60), low (90), got '45'");
    }

    @Test
    void stage_unknownEnvironment_isRejected() {
        assertThatThrownBy(() -> Stage.parse("qa"))
                .hasMessageContaining("environment must be one of development, staging, production, got 'qa'");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"rate(30 days),4", "rate(1 days),24", "rate(1000 days),1", "rate(4 hours),4", "rate(23 hours),2"})
    void rate_withinTheDocumentedRanges_isAccepted(String expression, int window) {
        RotationCalendar schedule = RotationCalendar.rate(expression, window);
        assertThat(schedule.expression()).isEqualTo(expression);
        assertThat(schedule.duration()).isEqualTo(window + "h");
        assertThat(schedule.maxDaysBetweenRotations()).isEqualTo(-1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"rate(3 hours)", "rate(24 hours)", "rate(0 days)", "rate(1001 days)"})
    void rate_outsideTheDocumentedRanges_isRejectedWithTheRanges(String expression) {
        assertThatThrownBy(() -> RotationCalendar.rate(expression, 1))
                .hasMessageContaining("out of range").hasMessageContaining("rate(4 hours) to rate(23 hours)");
    }

    @Test
    void rate_malformed_isRejectedWithAnExample() {
        assertThatThrownBy(() -> RotationCalendar.rate("rate(30 minutes)", 1))
                .hasMessageContaining("must be rate(N days) or rate(N hours)").hasMessageContaining("got 'rate(30 minutes)'");
    }

    @Test
    void rate_windowLongerThanTheInterval_isRejected() {
        assertThatThrownBy(() -> RotationCalendar.rate("rate(6 hours)", 7))
                .hasMessageContaining("must be 1 to 6 hours").hasMessageContaining("got 7 hours");
    }
}
