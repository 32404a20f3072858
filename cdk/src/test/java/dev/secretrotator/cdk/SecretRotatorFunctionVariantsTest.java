package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.Vpc;

/** The optional modes: SnapStart, tag-based grants, VPC. One synth each. */
class SecretRotatorFunctionVariantsTest {

    @Test
    void runtimeJava21_runsTheSameJarOnTheJava21ManagedRuntime() {
        // GIVEN
        Stack stack = TestSupport.stack();

        // WHEN
        TestSupport.rotatorWithSecret(stack, TestSupport.props().runtime(JavaRuntime.JAVA_21).build());

        // THEN
        Template.fromStack(stack).hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "java21",
                "Handler", SecretRotatorFunction.HANDLER,
                "Code", Match.objectLike(Map.of("S3Key", Match.stringLikeRegexp(".*\\.jar"))))));
    }

    @Test
    void snapStart_publishesAVersionAndSecretsManagerInvokesTheLiveAlias() {
        // GIVEN
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator",
                TestSupport.props().snapStart(true).build());

        // WHEN
        new SecretRotation(stack, "Rotation", SecretRotationProps.of(
                TestSupport.importedSecret(stack, "Secret", TestSupport.SECRET_ARN), rotator,
                RotationCalendar.forTier(RiskTier.HIGH, Stage.STAGING)));
        Template template = Template.fromStack(stack);

        // THEN
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"))));
        template.hasResourceProperties("AWS::Lambda::Alias", Match.objectLike(Map.of("Name", "live")));
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Principal", "secretsmanager.amazonaws.com",
                "FunctionName", Map.of("Ref", Match.stringLikeRegexp("RotatorLiveAlias.*")))));
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Match.objectLike(Map.of(
                "RotationLambdaARN", Map.of("Ref", Match.stringLikeRegexp("RotatorLiveAlias.*")))));
    }

    @Test
    void secretTag_grantsRotationOnTaggedSecretsOfThisAccountOnly() {
        // GIVEN
        Stack stack = TestSupport.stack();

        // WHEN
        new SecretRotatorFunction(stack, "Rotator", TestSupport.props()
                .secretTag(new SecretTag("rotation-deployment", "platform"))
                .build());
        Template template = Template.fromStack(stack);

        // THEN
        Map<String, Object> s = TestSupport.statementBySid(template, "RotateTaggedSecrets");
        assertThat(s.get("Resource").toString()).contains(":secretsmanager:eu-west-1:123456789012:secret:*");
        assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("aws:ResourceTag/rotation-deployment", "platform")));
        // and it may tag those secrets with its own keys only, never the selector, and list secrets for the sweep
        Map<String, Object> tagging = TestSupport.statementBySid(template, "TagTaggedSecrets");
        assertThat(tagging.get("Condition")).isEqualTo(Map.of(
                "StringEquals", Map.of("aws:ResourceTag/rotation-deployment", "platform"),
                "ForAllValues:StringLike", Map.of("aws:TagKeys", "secret-rotator:*"),
                "Null", Map.of("aws:TagKeys", "false")));
        Map<String, Object> deny = TestSupport.statementBySid(template, "NeverTouchSelectorTag");
        assertThat(deny).containsEntry("Effect", "Deny").containsEntry("Resource", "*");
        assertThat(deny.get("Condition")).isEqualTo(Map.of("ForAnyValue:StringEquals",
                Map.of("aws:TagKeys", "rotation-deployment")));
        assertThat(TestSupport.statementBySid(template, "ListSecretsForSweep"))
                .containsEntry("Action", "secretsmanager:ListSecrets").containsEntry("Resource", "*");
    }

    @Test
    void vpc_attachesTheFunctionAndGrantsOnlyNetworkInterfaceActions() {
        // GIVEN
        Stack stack = TestSupport.stack();
        Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(2).natGateways(0).build();

        // WHEN
        TestSupport.rotatorWithSecret(stack, TestSupport.props().vpc(vpc).build());
        Template template = Template.fromStack(stack);

        // THEN
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "VpcConfig", Match.objectLike(Map.of("SubnetIds", Match.anyValue())))));
        Map<String, Object> manage = TestSupport.statementBySid(template, "ManageVpcNetworkInterfaces");
        assertThat(manage.get("Resource").toString()).contains("network-interface/*").doesNotContain("\"*\"");
        Map<String, Object> describe = TestSupport.statementBySid(template, "DescribeVpcNetworkInterfaces");
        assertThat(TestSupport.asList(describe.get("Action")))
                .containsExactlyInAnyOrder("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets");
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "ManagedPolicyArns", Match.absent())));
    }

    @Test
    void customBusAndTimings_reachTheEnvironment() {
        // GIVEN
        Stack stack = TestSupport.stack();
        var bus = software.amazon.awscdk.services.events.EventBus.Builder.create(stack, "Bus")
                .eventBusName("rotation-events").build();

        // WHEN
        TestSupport.rotatorWithSecret(stack, TestSupport.props()
                .eventBus(bus)
                .gracePeriod(software.amazon.awscdk.Duration.hours(12))
                .javaToolOptions("")
                .build());
        Template template = Template.fromStack(stack);

        // THEN
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "ROTATOR_GRACE_PERIOD", "PT12H",
                        "JAVA_TOOL_OPTIONS", Match.absent()))))));
        assertThat(TestSupport.statementBySid(template, "PutRotationEvents").get("Resource").toString())
                .contains("Bus");
        assertThat(List.of(template.findResources("AWS::Events::EventBus").keySet().toArray())).hasSize(1);
    }
}
