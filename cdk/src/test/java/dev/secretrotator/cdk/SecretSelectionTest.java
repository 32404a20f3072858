package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * Issue 17 items 1 and 2: secrets selected by tag or name prefix cost nothing per secret in the
 * rotator's stack, and a secret imported by name is granted by its full ARN pattern.
 */
class SecretSelectionTest {
    static final SecretTag TAG = new SecretTag("rotation-deployment", "platform");

    @Test
    void tagMode_givesTheFunctionTheSelector_andTheSweepNoList() {
        // GIVEN a tag-mode rotator with a secret registered
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().secretTag(TAG).build());
        rotator.addRotatedSecret(TestSupport.importedSecret(stack, "Secret", TestSupport.SECRET_ARN));

        // WHEN
        new RetirementSweep(stack, "Sweep", rotator, null);
        Template template = Template.fromStack(stack);

        // THEN the environment names the tag, not the secret; the sweep enumerates; no per-secret statement
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of(
                "Variables", Match.objectLike(Map.of("ROTATOR_SECRET_TAG", "rotation-deployment=platform",
                        "ROTATOR_ALLOWED_SECRET_ARNS", ""))))));
        template.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of("Targets", List.of(
                Match.objectLike(Map.of("Input", "{\"action\":\"sweep\"}"))))));
        assertThat(sids(template)).contains("RotateTaggedSecrets", "ListSecretsForSweep")
                .doesNotContain("RotateListedSecrets", "TagListedSecrets");
        assertThat(template.toJSON().toString()).doesNotContain(TestSupport.SECRET_ARN);
    }

    @Test
    void prefixMode_grantsAndAllowsThePrefixes_only() {
        // GIVEN
        Stack stack = TestSupport.stack();

        // WHEN
        new SecretRotatorFunction(stack, "Rotator", TestSupport.props().secretNamePrefixes(List.of("team-a/", "team-b/")).build());
        Template template = Template.fromStack(stack);

        // THEN the role and the allow-list name the same patterns, and the sweep may list secrets
        Map<String, Object> rotate = TestSupport.statementBySid(template, "RotatePrefixedSecrets");
        assertThat(rotate.get("Resource").toString()).contains(":secret:team-a/*").contains(":secret:team-b/*")
                .doesNotContain(":secret:*");
        assertThat(TestSupport.statementBySid(template, "TagPrefixedSecrets").get("Condition").toString())
                .contains("secret-rotator:*");
        assertThat(sids(template)).contains("ListSecretsForSweep").doesNotContain("RotateTaggedSecrets");
        assertThat(template.findResources("AWS::Lambda::Function").toString())
                .contains("ROTATOR_ALLOWED_SECRET_ARNS").contains(":secret:team-a/*");
    }

    @Test
    void prefixMode_refusesASecretNamedUnderNoPrefix() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator",
                TestSupport.props().secretNamePrefixes(List.of("team-a/")).build());

        assertThatThrownBy(() -> rotator.addRotatedSecret(Secret.fromSecretNameV2(stack, "Other", "team-b/db")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("team-b/db").hasMessageContaining("[team-a/]");
    }

    @Test
    void prefixes_withWildcardsOrMoreThanTen_areRejected() {
        assertThatThrownBy(() -> new SecretRotatorFunction(TestSupport.stack(), "Rotator",
                TestSupport.props().secretNamePrefixes(List.of("team-*")).build()))
                .hasMessageContaining("without wildcards").hasMessageContaining("team-*");
        assertThatThrownBy(() -> new SecretRotatorFunction(TestSupport.stack(), "Rotator",
                TestSupport.props().secretNamePrefixes(java.util.stream.IntStream.range(0, 11).mapToObj(i -> "t" + i + "/").toList())
                        .build()))
                .hasMessageContaining("at most 10");
    }

    @Test
    void tagMode_aSecretDefinedInTheApp_getsTheSelectorTag() {
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().secretTag(TAG).build());

        rotator.addRotatedSecret(Secret.Builder.create(stack, "Owned").build());

        Template.fromStack(stack).hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "Tags", List.of(Map.of("Key", "rotation-deployment", "Value", "platform")))));
    }

    @Test
    void tagMode_aSecretInATeamStack_addsNothingToTheRotatorsStack() {
        // GIVEN the rotator in one stack and a team's secret, schedule included, in another
        App app = new App();
        Stack platform = new Stack(app, "Platform", env());
        Stack team = new Stack(app, "Team", env());
        SecretRotatorFunction rotator = new SecretRotatorFunction(platform, "Rotator", TestSupport.props().secretTag(TAG).build());

        // WHEN
        new SecretRotation(team, "Db", SecretRotationProps.of(Secret.Builder.create(team, "Secret").build(), rotator,
                RotationCalendar.forTier(RiskTier.HIGH, Stage.PRODUCTION)));

        // THEN the team's stack holds the schedule and depends on the rotator's, never the reverse
        Template.fromStack(team).resourceCountIs("AWS::SecretsManager::RotationSchedule", 1);
        assertThat(team.getDependencies()).contains(platform);
        assertThat(platform.getDependencies()).isEmpty();
    }

    @Test
    void listedMode_secretImportedByName_isGrantedWithTheSixCharacterSuffix() {
        // GIVEN a secret imported by name: its ARN lacks the suffix Secrets Manager appends
        Stack stack = TestSupport.stack();
        SecretRotatorFunction rotator = new SecretRotatorFunction(stack, "Rotator", TestSupport.props().build());

        // WHEN
        rotator.addRotatedSecret(Secret.fromSecretNameV2(stack, "ByName", "team-a/db"));
        Template template = Template.fromStack(stack);

        // THEN the role and the allow-list name <arn>-??????, which matches the secret's full ARN
        assertThat(TestSupport.statementBySid(template, "RotateListedSecrets").get("Resource").toString())
                .contains(":secret:team-a/db-??????");
        assertThat(TestSupport.statementBySid(template, "TagListedSecrets").get("Resource").toString())
                .contains(":secret:team-a/db-??????");
        assertThat(template.findResources("AWS::Lambda::Function").toString()).contains(":secret:team-a/db-??????");
        assertThat(rotator.getRotatedSecretArns()).singleElement().asString().endsWith("team-a/db-??????");
    }

    private static StackProps env() {
        return StackProps.builder().env(Environment.builder().account(TestSupport.ACCOUNT).region(TestSupport.REGION).build())
                .build();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> sids(Template template) {
        return TestSupport.identityStatements(template).stream().map(s -> s.get("Sid")).toList();
    }
}
