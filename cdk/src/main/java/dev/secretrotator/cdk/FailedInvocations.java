package dev.secretrotator.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Where the rotator's asynchronous invocations end up when they fail: the retirement sweep and the
 * automatic rollback are invoked by EventBridge, asynchronously, so a failure would otherwise vanish
 * after Lambda's retries. One encrypted (SSE-SQS), TLS-only SQS queue receives both kinds of loss:
 * <ul>
 *   <li>the function ran and failed on every attempt: the invoke target's {@code OnFailure}
 *       destination ({@code AWS::Lambda::EventInvokeConfig}, 2 retries, events up to 1 hour old);
 *   <li>EventBridge could not invoke the function at all: each rule target's dead-letter queue
 *       ({@link #getQueue()}, wired by {@link RetirementSweep} and {@link AutoRollback}).
 * </ul>
 * {@link RotationAlarms} alarms when a message is waiting ({@link #metricMessagesVisible()}).
 * Secrets Manager invokes the rotation steps synchronously, so they never land here.
 */
public class FailedInvocations extends Construct {
    static final String DLQ_REASON = "This queue is itself the dead-letter queue of the rotator's asynchronous "
            + "invocations (Lambda OnFailure destination and EventBridge target DLQ); a message here is looked at "
            + "by a person, alarmed by RotationAlarms, and kept 14 days.";

    private final Queue queue;

    public FailedInvocations(Construct scope, String id, IFunction invokeTarget) {
        super(scope, id);
        this.queue = Queue.Builder.create(this, "Queue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        invokeTarget.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .onFailure(new SqsDestination(queue))
                .retryAttempts(2)
                .maxEventAge(Duration.hours(1))
                .build());
        NagSuppressions.addResourceSuppressions(queue, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3").reason(DLQ_REASON).build()));
    }

    public IQueue getQueue() {
        return queue;
    }

    /** The messages waiting in the queue (maximum per 5 minutes); any at all means an invocation was lost. */
    public IMetric metricMessagesVisible() {
        return queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(5)).build());
    }
}
