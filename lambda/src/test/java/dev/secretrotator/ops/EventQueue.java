package dev.secretrotator.ops;

import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** An EventBridge rule on moto matching the function's events, with an SQS queue as target. */
final class EventQueue {
    final EventBridgeClient events;
    private final SqsClient sqs;
    private final String queueUrl;

    EventQueue(MotoServer moto) {
        events = moto.configure(EventBridgeClient.builder()).build();
        sqs = moto.configure(SqsClient.builder()).build();
        queueUrl = sqs.createQueue(b -> b.queueName("rotation-events")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        events.putRule(b -> b.name("secret-rotator-events").eventPattern("{\"source\":[\"secret-rotator\"]}"));
        events.putTargets(b -> b.rule("secret-rotator-events").targets(t -> t.id("queue").arn(queueArn)));
    }

    /** Every event delivered so far: detail-type and detail. */
    List<Map<String, Object>> drain() {
        List<Map<String, Object>> out = new ArrayList<>();
        while (true) {
            var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return out;
            }
            messages.forEach(m -> {
                out.add(Json.object(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            });
        }
    }
}
