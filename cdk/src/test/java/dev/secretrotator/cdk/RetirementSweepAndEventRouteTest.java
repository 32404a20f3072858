package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.sqs.Queue;

/** The sweep schedule and the "secret rotated" route, on one shared stack. */
class RetirementSweepAndEventRouteTest {

    private static final String SECOND_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/app-d4E5f6";
    private static Template template;

    @BeforeAll
    static void synth() {
        // GIVEN a rotator whose second secret is registered after the sweep exists
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = TestSupport.rotatorWithSecret(stack, TestSupport.props().build());
        new RetirementSweep(stack, "Sweep", rotator, "rate(2 hours)");
        rotator.addRotatedSecret(TestSupport.importedSecret(stack, "Second", SECOND_ARN));
        Queue queue = Queue.Builder.create(stack, "Consumers").enforceSsl(true).build();

        // WHEN
        new RotatedEventRoute(stack, "RotatedEvents", rotator, new SqsQueue(queue));
        template = Template.fromStack(stack);
    }

    @Test
    void sweep_invokesTheFunctionOnScheduleWithEveryRotatedSecret() {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("ScheduleExpression", "rate(2 hours)")))));

        assertThat(rules).hasSize(1);
        String input = rules.values().iterator().next().toString();
        assertThat(input).contains("{\"action\":\"sweep\",\"secretIds\":[\"" + TestSupport.SECRET_ARN + "\",\""
                + SECOND_ARN + "\"]}");
        assertThat(input).contains("RotatorFunction");
    }

    @Test
    void sweep_inTagMode_passesNoListSoTheFunctionFindsTheTaggedSecrets() {
        // GIVEN a rotator in tag mode
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props()
                .secretTag(new SecretTag("rotation-deployment", "platform")).build());

        // WHEN
        new RetirementSweep(stack, "Sweep", rotator, null);

        // THEN
        Map<String, Map<String, Object>> rules = Template.fromStack(stack).findResources("AWS::Events::Rule");
        assertThat(rules.values().iterator().next().toString()).contains("Input={\"action\":\"sweep\"}");
    }

    @Test
    void sweep_mayInvokeTheFunctionFromItsRuleOnly() {
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Principal", "events.amazonaws.com",
                "SourceArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("SweepRule.*"), "Arn")))));
    }

    @Test
    void sweep_invalidSchedule_isRejectedWithAnExample() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());

        assertThatThrownBy(() -> new RetirementSweep(stack, "Sweep", rotator, "every hour"))
                .hasMessageContaining("sweep schedule must be rate(<n> <unit>) or cron(...)")
                .hasMessageContaining("got 'every hour'");
    }

    @Test
    void rotatedEvents_routeCurrentCredentialChangesToTheTarget() {
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "EventBusName", "default",
                "EventPattern", Map.of(
                        "source", List.of("secret-rotator"),
                        "detail-type", List.of("Secret Rotated", "Emergency Rotation", "Secret Rolled Back")),
                "Targets", List.of(Match.objectLike(Map.of(
                        "Arn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Consumers.*"), "Arn"))))))));
    }

    @Test
    void rotatedEvents_missingTarget_isRejected() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());

        assertThatThrownBy(() -> new RotatedEventRoute(stack, "RotatedEvents", rotator, null))
                .hasMessageContaining("target must be set, got null");
    }
}
