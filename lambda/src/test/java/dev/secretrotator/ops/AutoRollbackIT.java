package dev.secretrotator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.EventBridgeEvents;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AutoRollback chain against moto: a CloudWatch "Alarm State Change" event (fixture written from
 * the documented shape) goes through an EventBridge rule with the pattern the cdk AutoRollback
 * construct synthesizes ({@code events/auto-rollback-trigger-pattern.json}, held against the synth by
 * the cdk AutoRollbackTest), the rule's constant input reaches the real handler, and the function's
 * own events go through the notification rule ({@code events/auto-rollback-notify-pattern.json}) to
 * what stands for the alarm topic. moto matches patterns but ignores a target's constant
 * {@code Input} (it delivers the whole event), so the harness hands the documented input to the
 * handler when the rule delivered something, as EventBridge would.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class AutoRollbackIT {
    static final String ALARM_ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Checkout-AutoRollback-AuthFailures";
    static final Duration WINDOW = Duration.ofHours(2);

    final MutableClock clock = new MutableClock();
    EventBridgeClient events;
    SqsClient sqs;
    TestRotator rotator;
    String arn;
    String triggered;
    String paged;

    @BeforeEach
    void setUp(MotoServer moto) {
        events = moto.configure(EventBridgeClient.builder()).build();
        sqs = moto.configure(SqsClient.builder()).build();
        rotator = new TestRotator(moto, Map.of(), ProviderServices.builder().clock(clock).client(RotationEvents.class,
                () -> new EventBridgeEvents(events, "default", Telemetry.stdout())));
        arn = rotator.createSecret("checkout/api-key", "{\"provider\":\"random-password\",\"password\":\"first-password\"}");
        triggered = rule("auto-rollback-trigger", pattern("auto-rollback-trigger-pattern.json", "${AlarmArn}", ALARM_ARN));
        paged = rule("auto-rollback-notify", pattern("auto-rollback-notify-pattern.json", "${SecretArn}", arn));
    }

    @Test
    void alarmTwiceForOneRotation_rollsBackOnce_thenRefusesAndPages() {
        // GIVEN a rotation ten minutes ago
        rotator.driver.rotate(arn);
        String rotated = current();
        clock.advance(Duration.ofMinutes(10));

        // WHEN the consumers' auth-failure alarm goes OK -> ALARM
        List<String> first = alarm("ALARM");

        // THEN the function rolls back once, and the alarm topic hears of it
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).contains("currentVersion").doesNotContain("refused");
        assertThat(password()).isEqualTo("first-password");
        String restored = current();
        assertThat(pages()).singleElement().satisfies(p -> assertThat(p).containsEntry("detail-type", "Secret Rolled Back"));

        // WHEN the alarm recovers and fires again for the same rotation, still within the window
        clock.advance(Duration.ofMinutes(5));
        assertThat(alarm("OK")).as("an OK transition invokes nothing").isEmpty();
        clock.advance(Duration.ofMinutes(5));
        List<String> second = alarm("ALARM");

        // THEN it refuses instead of flipping AWSCURRENT back to the rotated version, and pages
        assertThat(second).singleElement().satisfies(r -> assertThat(r).contains("refused").contains("rollback"));
        assertThat(current()).isEqualTo(restored).isNotEqualTo(rotated);
        assertThat(pages()).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("detail-type", "Automatic Rollback Refused");
            assertThat(p.get("detail").toString()).contains("put back by a rollback");
        });
    }

    @Test
    void alarmAfterTheWindow_refusesAndPages() {
        // GIVEN a rotation longer ago than the window
        rotator.driver.rotate(arn);
        String rotated = current();
        clock.advance(WINDOW.plusMinutes(30));

        // WHEN the alarm goes OK -> ALARM
        List<String> results = alarm("ALARM");

        // THEN nothing moves, and the refusal pages
        assertThat(results).singleElement().satisfies(r -> assertThat(r).contains("refused").contains("outside"));
        assertThat(current()).isEqualTo(rotated);
        assertThat(pages()).singleElement().satisfies(p -> assertThat(p).containsEntry("detail-type", "Automatic Rollback Refused"));
    }

    @Test
    void automaticRollback_recordsTheRotationItRolledBack() {
        // GIVEN / WHEN a rotation rolled back by the alarm
        rotator.driver.rotate(arn);
        String rotated = current();
        clock.advance(Duration.ofMinutes(3));
        Instant before = clock.instant();
        alarm("ALARM");

        // THEN the secret's tags say which rotation was rolled back automatically, and when
        Map<String, String> tags = new java.util.HashMap<>();
        rotator.client.describeSecret(b -> b.secretId(arn)).tags().forEach(t -> tags.put(t.key(), t.value()));
        assertThat(tags.get("secret-rotator:auto-rollback")).startsWith(rotated + " ");
        assertThat(Instant.parse(tags.get("secret-rotator:auto-rollback").substring(rotated.length() + 1)))
                .isBetween(before, clock.instant());
        assertThat(tags.get("secret-rotator:restored")).startsWith(current() + " ");
    }

    /** One alarm state change through the rule; returns the handler's answer to each delivery. */
    private List<String> alarm(String state) {
        Map<String, Object> event = Json.object(EventFixtures.alarmStateChange(state, ALARM_ARN, clock.instant()));
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) event.get("resources");
        var put = events.putEvents(b -> b.entries(e -> e.source((String) event.get("source"))
                .detailType((String) event.get("detail-type")).resources(resources)
                .detail(Json.write(event.get("detail"))).time(Instant.parse((String) event.get("time")))));
        assertThat(put.failedEntryCount()).isZero();
        List<String> answers = new ArrayList<>();
        int deliveries = drain(triggered).size();
        for (int i = 0; i < deliveries; i++) {
            // the rule target's constant Input, as AutoRollback synthesizes it
            answers.add(rotator.driver.invokeRaw(Json.write(Map.of("action", "rollback", "secretId", arn,
                    "window", "PT" + WINDOW.toMinutes() + "M"))));
        }
        return answers;
    }

    private List<Map<String, Object>> pages() {
        return drain(paged).stream().map(Json::object).toList();
    }

    private String rule(String name, String pattern) {
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        events.putRule(b -> b.name(name).eventPattern(pattern));
        events.putTargets(b -> b.rule(name).targets(t -> t.id("target").arn(queueArn)));
        return url;
    }

    private List<String> drain(String url) {
        List<String> out = new ArrayList<>();
        while (true) {
            var messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return out;
            }
            messages.forEach(m -> {
                out.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            });
        }
    }

    private static String pattern(String file, String placeholder, String value) {
        return EventFixtures.resourceText("/events/" + file).replace(placeholder, value);
    }

    private String current() {
        return rotator.stages(arn).entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private String password() {
        return (String) Json.object(rotator.value(arn, "AWSCURRENT")).get("password");
    }
}
