package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.cdk.config.RotationConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

class RotationWindowTest {

    @Test
    void newYorkMorning_isAFixedUtcCron_thatDaylightSavingShiftsByAnHour() {
        RotationWindow window = RotationWindow.local("America/New_York", 9, 4);

        assertThat(window.utcStartHour()).isEqualTo(14);
        assertThat(window.describe()).isEqualTo("cron hour 14 UTC for 4h: 09:00-13:00 America/New_York in standard time"
                + " (UTC-05:00), 10:00-14:00 in daylight saving time (UTC-04:00)");
    }

    @Test
    void southernHemisphere_andZonesWithoutDaylightSaving_areDescribed() {
        assertThat(RotationWindow.local("Australia/Sydney", 10, 4).describe()).isEqualTo("cron hour 0 UTC for 4h: 10:00-14:00"
                + " Australia/Sydney in standard time (UTC+10:00), 11:00-15:00 in daylight saving time (UTC+11:00)");
        assertThat(RotationWindow.local("Asia/Tokyo", 10, 4).describe())
                .isEqualTo("cron hour 1 UTC for 4h: 10:00-14:00 Asia/Tokyo all year (UTC+09:00, no daylight saving time)");
        assertThat(RotationWindow.DEFAULT.describe()).isEqualTo("cron hour 9 UTC for 4h: 09:00-13:00 UTC all year");
    }

    @Test
    void windowOnAnotherUtcDay_isRefused_withTheHoursThatFit() {
        assertThatThrownBy(() -> RotationWindow.local("Australia/Sydney", 9, 4).utcStartHour())
                .hasMessageContaining("09:00-13:00 Australia/Sydney is 23:00-03:00 UTC in standard time")
                .hasMessageContaining("start it between 10:00 and 23:00 local time");
        assertThatThrownBy(() -> RotationWindow.local("America/Los_Angeles", 18, 4).utcStartHour())
                .hasMessageContaining("start it between 00:00 and 12:00 local time");
    }

    @Test
    void halfHourZone_andUnknownZone_areRefused() {
        assertThatThrownBy(() -> RotationWindow.local("Asia/Kolkata", 9, 4).utcStartHour())
                .hasMessageContaining("UTC+05:30 in standard time").hasMessageContaining("full UTC hour");
        assertThatThrownBy(() -> RotationWindow.local("Europe/Atlantis", 9, 4))
                .hasMessageContaining("IANA time zone id").hasMessageContaining("'Europe/Atlantis'");
    }

    @Test
    void forTier_inLocalTime_rendersTheUtcCron() {
        RotationCalendar calendar = RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION,
                RotationWindow.local("America/New_York", 9, 4));

        assertThat(calendar.expression()).isEqualTo("cron(0 14 ? * TUE#3 *)");
        assertThat(calendar.duration()).isEqualTo("4h");
        assertThat(calendar.describeWindow()).contains("10:00-14:00 in daylight saving time");
    }

    @Test
    void synthesizedSchedule_saysWhichLocalHoursItCovers() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());
        new SecretRotation(stack, "Rotation", SecretRotationProps.of(TestSupport.importedSecret(stack, "S", TestSupport.SECRET_ARN),
                rotator, RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION, RotationWindow.local("America/New_York", 9, 4))));

        Map<String, Map<String, Object>> schedules = Template.fromStack(stack).findResources("AWS::SecretsManager::RotationSchedule");
        assertThat(schedules.values().iterator().next().get("Metadata").toString())
                .contains("09:00-13:00 America/New_York in standard time").contains("10:00-14:00 in daylight saving time");
    }

    @Test
    void configuration_takesATimeZoneAndALocalStartHour() {
        String secret = "{\"name\": \"App\", \"secretArn\": \"" + TestSupport.SECRET_ARN
                + "\", \"provider\": \"random-password\", \"tier\": \"high\", \"environment\": \"staging\"}";
        RotationConfig config = RotationConfig.parse("{\"rotationWindow\": {\"timeZone\": \"America/Chicago\", \"startHour\": 9,"
                + " \"hours\": 3}, \"secrets\": [" + secret + "]}");
        assertThat(config.rotationWindow().utcStartHour()).isEqualTo(15);

        assertThatThrownBy(() -> RotationConfig.parse("{\"rotationWindow\": {\"startHour\": 9}, \"secrets\": [" + secret + "]}"))
                .hasMessageContaining("rotationWindow: startHour needs timeZone");
        assertThatThrownBy(() -> RotationConfig.parse("{\"rotationWindow\": {\"timeZone\": \"UTC\", \"startHourUtc\": 9,"
                + " \"startHour\": 9}, \"secrets\": [" + secret + "]}")).hasMessageContaining("not startHourUtc");
        assertThatThrownBy(() -> RotationConfig.parse("{\"rotationWindow\": {\"timeZone\": \"Australia/Sydney\", \"startHour\": 8},"
                + " \"secrets\": [" + secret + "]}")).hasMessageContaining("rotationWindow: rotation window 08:00-12:00");
    }
}
