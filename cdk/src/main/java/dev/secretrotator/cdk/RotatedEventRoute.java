package dev.secretrotator.cdk;

import java.util.List;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.Rule;
import software.constructs.Construct;

/**
 * Routes the rotator's "a new credential is current" events to a target, for consumers that must
 * refresh or restart (pods that read a secret into an environment variable, connection pools).
 * Emergency rotations and rollbacks change the current credential too, so they are routed as well.
 */
public class RotatedEventRoute extends Construct {

    /** The {@code source} of the rotator's events. */
    public static final String SOURCE = "secret-rotator";
    /** Detail-types after which {@code AWSCURRENT} holds a different credential. */
    public static final List<String> CURRENT_CHANGED = List.of("Secret Rotated", "Emergency Rotation", "Secret Rolled Back");

    private final Rule rule;

    /**
     * @param rotator the function whose bus carries the events
     * @param target  where to send them: an SQS queue, a Lambda function, another bus, ...
     */
    public RotatedEventRoute(Construct scope, String id, SecretRotatorFunction rotator, IRuleTarget target) {
        super(scope, id);
        if (rotator == null) {
            throw new IllegalArgumentException("rotator must be set, got null");
        }
        if (target == null) {
            throw new IllegalArgumentException("target must be set, got null; for example new SqsQueue(queue)");
        }
        this.rule = Rule.Builder.create(this, "Rule")
                .description("secret-rotator: the current credential of a secret changed")
                .eventBus(rotator.getEventBus())
                .eventPattern(EventPattern.builder()
                        .source(List.of(SOURCE))
                        .detailType(CURRENT_CHANGED)
                        .build())
                .build();
        rule.addTarget(target);
    }

    public Rule getRule() {
        return rule;
    }
}
