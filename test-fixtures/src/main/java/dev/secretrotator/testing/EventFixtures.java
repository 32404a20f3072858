package dev.secretrotator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Secrets Manager sends for each step, from {@code events/<step>.json}, with the
 * secret, version token and rotation token filled in (an empty rotation token, as the service
 * sends for same-account rotation, when {@code rotationToken} is null).
 */
public final class EventFixtures {
    public static final String[] STEPS = {"createSecret", "setSecret", "testSecret", "finishSecret"};

    private EventFixtures() {}

    public static String rotation(String step, String secretId, String token, String rotationToken) {
        String template = resource("/events/" + step + ".json");
        String json = template.replace("${SecretId}", secretId).replace("${ClientRequestToken}", token);
        return rotationToken == null
                ? json.replaceAll(",\\s*\"RotationToken\": \"\\$\\{RotationToken}\"", "")
                : json.replace("${RotationToken}", rotationToken);
    }

    /**
     * A "CloudWatch Alarm State Change" event as EventBridge delivers it (the documented shape: see
     * the CloudWatch user guide, "Alarm events and EventBridge"), from
     * {@code events/alarm-state-change-<alarm|ok>.json}: a Sum-per-minute alarm, 2 of 3 datapoints.
     *
     * @param state    {@code ALARM} (from OK) or {@code OK} (from ALARM)
     * @param alarmArn the alarm's ARN; its name, account and region are taken from it
     */
    public static String alarmStateChange(String state, String alarmArn, java.time.Instant time) {
        String[] arn = alarmArn.split(":", 7);
        if (arn.length != 7 || !"alarm".equals(arn[5])) {
            throw new IllegalArgumentException("alarmArn must be arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>, got " + alarmArn);
        }
        return resource("/events/alarm-state-change-" + state.toLowerCase(java.util.Locale.ROOT) + ".json")
                .replace("${EventId}", java.util.UUID.randomUUID().toString())
                .replace("${AlarmArn}", alarmArn).replace("${AlarmName}", arn[6])
                .replace("${Region}", arn[3]).replace("${Account}", arn[4])
                .replace("${Time}", time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }

    /** A resource of this module as text, for example {@code /events/auto-rollback-trigger-pattern.json}. */
    public static String resourceText(String path) {
        return resource(path);
    }

    static String resource(String path) {
        try (InputStream in = EventFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no event fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
