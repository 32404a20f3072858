package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.Key;

/** The function, its log group, role and invoke permission, on one shared synthesized stack. */
class SecretRotatorFunctionTest {

    private static Template template;

    @BeforeAll
    static void synth() {
        // GIVEN a rotator with every optional grant configured
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props()
                .iamUserPath("/rotated/")
                .assumeRoleArns(List.of("arn:aws:iam::210987654321:role/secret-rotator-target"))
                .adminSecretArns(List.of("arn:aws:secretsmanager:eu-west-1:123456789012:secret:weaviate-admin-AbCdEf"))
                .allowedEndpointHosts(List.of("weaviate.example.com", "api.sendgrid.com"))
                .secretsKeys(List.of(Key.fromKeyArn(stack, "Key",
                        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")))
                .passwordOptions(Map.of("PASSWORD_LENGTH", "40", "EXCLUDE_PUNCTUATION", "true"))
                .build());
        // WHEN two secrets are registered
        rotator.addRotatedSecret(TestSupport.importedSecret(stack, "A", TestSupport.SECRET_ARN));
        rotator.addRotatedSecret(TestSupport.importedSecret(stack, "B",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/app-d4E5f6"));
        template = Template.fromStack(stack);
    }

    @Test
    void function_runsTheShadedJarOnJava25ByDefaultWithTheHandlerClass() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "java25",
                "Handler", "dev.secretrotator.handler.RotationHandler::handleRequest",
                "Architectures", List.of("x86_64"),
                "Code", Match.objectLike(Map.of("S3Key", Match.stringLikeRegexp(".*\\.jar"))))));
    }

    @Test
    void function_hasMeasuredMemoryAndATimeoutOfAtLeast30Seconds() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "MemorySize", 1024,
                "Timeout", 120)));
    }

    @Test
    void function_snapStartIsOffByDefault() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "SnapStart", Match.absent())));
        template.resourceCountIs("AWS::Lambda::Alias", 0);
    }

    @Test
    void function_environment_carriesAllowListsTimingsAndJvmOptions() {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Environment", Map.of("Variables", Match.objectLike(Map.ofEntries(
                        Map.entry("ROTATOR_ALLOWED_SECRET_ARNS", TestSupport.SECRET_ARN
                                + ",arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/app-d4E5f6"),
                        Map.entry("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "weaviate.example.com,api.sendgrid.com"),
                        Map.entry("ROTATOR_EVENT_BUS_NAME", "default"),
                        Map.entry("ROTATOR_GRACE_PERIOD", "PT24H"),
                        Map.entry("ROTATOR_QUIET_PERIOD", "PT4H"),
                        Map.entry("ROTATOR_DELETE_AFTER", "PT48H"),
                        Map.entry("ROTATOR_VERIFY_TIMEOUT", "PT1M"),
                        Map.entry("ROTATOR_VERIFY_SUCCESSES", "3"),
                        Map.entry("PASSWORD_LENGTH", "40"),
                        Map.entry("EXCLUDE_PUNCTUATION", "true"),
                        Map.entry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")))))));
    }

    @Test
    void logGroup_isRetainedWithOneYearRetention() {
        template.hasResource("AWS::Logs::LogGroup", Match.objectLike(Map.of(
                "Properties", Map.of("RetentionInDays", 365),
                "DeletionPolicy", "Retain")));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "LoggingConfig", Map.of("LogGroup", Match.objectLike(Map.of("Ref", Match.stringLikeRegexp("RotatorLogGroup.*")))))));
    }

    @Test
    void invokePermission_isForSecretsManagerFromThisAccountOnly() {
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction",
                "Principal", "secretsmanager.amazonaws.com",
                "SourceAccount", TestSupport.ACCOUNT)));
    }

    @Test
    void role_grantsRotationActionsOnExactlyTheRegisteredSecrets() {
        Map<String, Object> s = TestSupport.statementBySid(template, "RotateListedSecrets");

        assertThat(TestSupport.asList(s.get("Action"))).containsExactlyInAnyOrder(
                "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                "secretsmanager:UpdateSecretVersionStage", "secretsmanager:RotateSecret",
                "secretsmanager:ListSecretVersionIds");
        assertThat(TestSupport.asList(s.get("Resource"))).containsExactlyInAnyOrder(TestSupport.SECRET_ARN,
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/app-d4E5f6");
    }

    @Test
    void role_tagsListedSecretsOnlyWithItsOwnTagKeys_andCannotListSecrets() {
        Map<String, Object> s = TestSupport.statementBySid(template, "TagListedSecrets");

        assertThat(TestSupport.asList(s.get("Action"))).containsExactlyInAnyOrder(
                "secretsmanager:TagResource", "secretsmanager:UntagResource");
        assertThat(TestSupport.asList(s.get("Resource"))).containsExactlyInAnyOrder(TestSupport.SECRET_ARN,
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/app-d4E5f6");
        assertThat(s.get("Condition")).isEqualTo(Map.of(
                "ForAllValues:StringLike", Map.of("aws:TagKeys", "secret-rotator:*"),
                "Null", Map.of("aws:TagKeys", "false")));
        assertThat(template.toJSON().toString()).doesNotContain("secretsmanager:ListSecrets\"");
    }

    @Test
    void role_grantsIamKeyActionsOnlyOnUsersUnderThePath() {
        Map<String, Object> s = TestSupport.statementBySid(template, "RotateIamUserKeys");

        assertThat(TestSupport.asList(s.get("Action"))).containsExactlyInAnyOrder("iam:CreateAccessKey",
                "iam:DeleteAccessKey", "iam:UpdateAccessKey", "iam:ListAccessKeys", "iam:GetAccessKeyLastUsed",
                "iam:ListUserTags");
        assertThat(s.get("Resource").toString()).contains(":iam::", "123456789012", ":user/rotated/*");
    }

    @Test
    void role_grantsAssumeRoleOnlyOnConfiguredRoles() {
        Map<String, Object> s = TestSupport.statementBySid(template, "AssumeRotationRoles");

        assertThat(s.get("Action")).isEqualTo("sts:AssumeRole");
        assertThat(TestSupport.asList(s.get("Resource")))
                .containsExactly("arn:aws:iam::210987654321:role/secret-rotator-target");
    }

    @Test
    void role_readsAdminSecretsOnly() {
        Map<String, Object> s = TestSupport.statementBySid(template, "ReadAdminSecrets");

        assertThat(TestSupport.asList(s.get("Action")))
                .containsExactlyInAnyOrder("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");
        assertThat(TestSupport.asList(s.get("Resource")))
                .containsExactly("arn:aws:secretsmanager:eu-west-1:123456789012:secret:weaviate-admin-AbCdEf");
    }

    @Test
    void role_putsEventsOnTheConfiguredBusOnly() {
        Map<String, Object> s = TestSupport.statementBySid(template, "PutRotationEvents");

        assertThat(s.get("Action")).isEqualTo("events:PutEvents");
        assertThat(s.get("Resource").toString()).contains("event-bus/default");
    }

    @Test
    void role_usesTheSecretsKeyOnlyThroughSecretsManager() {
        Map<String, Object> s = TestSupport.statementBySid(template, "UseSecretsKeys");

        assertThat(TestSupport.asList(s.get("Action"))).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
        assertThat(s.get("Condition").toString()).contains("kms:ViaService", "secretsmanager.eu-west-1.", "AWS::URLSuffix");
        assertThat(s.get("Resource").toString()).contains(":key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }

    @Test
    void role_hasNoWildcardActionAndAllowsNothingOnStarButGetRandomPassword() {
        for (Map<String, Object> s : TestSupport.identityStatements(template)) {
            assertThat(TestSupport.asList(s.get("Action")))
                    .as("actions of %s", s.get("Sid"))
                    .allSatisfy(action -> assertThat(action.toString()).doesNotContain("*"));
            // a Deny on "*" takes rights away; only an Allow on "*" needs a reason
            if ("Allow".equals(s.get("Effect")) && TestSupport.asList(s.get("Resource")).contains("*")) {
                assertThat(s.get("Action")).as("the only action allowed on *").isEqualTo("secretsmanager:GetRandomPassword");
            }
        }
    }

    @Test
    void role_isAssumedByLambdaAndHasNoManagedPolicies() {
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "lambda.amazonaws.com")))))),
                "ManagedPolicyArns", Match.absent())));
    }
}
