package dev.secretrotator.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.cdk.config.RotationConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * A new SaaS vendor of the http-api-key provider (here GitLab project access tokens, a built-in
 * profile) needs configuration only: its host on allowedEndpointHosts and its admin secret on
 * adminSecretArns. No CDK code knows the vendor.
 */
class TokenVendorConfigTest {
    static final String GITLAB_ADMIN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gitlab-admin-QrStUv";

    @Test
    void gitlabSecret_withItsHostAndAdminSecretInTheConfiguration_isDeployedWithoutCodeChanges() {
        // GIVEN a configuration naming a GitLab token secret, gitlab.com and the GitLab admin secret
        RotationConfig config = RotationConfig.parse("""
                {"adminSecretArns": ["%s"],
                 "allowedEndpointHosts": ["gitlab.com", "api.cloudflare.com"],
                 "secrets": [{"name": "CiGitlabToken", "provider": "http-api-key", "tier": "medium", "environment": "production",
                   "secretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/gitlab-ci-w1X2y3"}]}
                """.formatted(GITLAB_ADMIN));

        // WHEN the app's stack is synthesized from it
        Template template = Template.fromStack(new SecretRotatorStack(new App(), "GitLab", StackProps.builder().build(),
                config, TestSupport.code()));

        // THEN the function may send credentials to the vendor's hosts and read (only) that admin secret
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of(
                "Variables", Match.objectLike(Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "gitlab.com,api.cloudflare.com"))))));
        Map<String, Object> read = TestSupport.statementBySid(template, "ReadAdminSecrets");
        assertThat(TestSupport.asList(read.get("Resource"))).containsExactly(GITLAB_ADMIN);
        assertThat(TestSupport.asList(read.get("Action")))
                .containsExactlyInAnyOrder("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");
    }

    @Test
    void oauthVendorSecrets_withTheirApiAndTokenHostsAndAdminSecrets_areDeployedWithoutCodeChanges() {
        // GIVEN Entra ID, Okta, MongoDB Atlas and Google Cloud secrets: each vendor's API host and token host
        // (login.microsoftonline.com, oauth2.googleapis.com) allowed, one admin secret per vendor
        String entraAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:entra-admin-AbCdEf";
        String oktaAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta-admin-GhIjKl";
        String atlasAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:atlas-admin-MnOpQr";
        String gcpAdmin = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gcp-admin-StUvWx";
        RotationConfig config = RotationConfig.parse("""
                {"adminSecretArns": ["%s", "%s", "%s", "%s"],
                 "allowedEndpointHosts": ["graph.microsoft.com", "login.microsoftonline.com", "example.okta.com",
                   "cloud.mongodb.com", "iam.googleapis.com", "oauth2.googleapis.com"],
                 "secrets": [
                   {"name": "EntraApp", "provider": "http-api-key", "tier": "high", "environment": "production",
                    "secretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/entra-app-a1B2c3"},
                   {"name": "GcpDeployer", "provider": "http-api-key", "tier": "high", "environment": "production",
                    "secretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/gcp-deployer-d4E5f6"}]}
                """.formatted(entraAdmin, oktaAdmin, atlasAdmin, gcpAdmin));

        // WHEN the app's stack is synthesized from it
        Template template = Template.fromStack(new SecretRotatorStack(new App(), "OAuthVendors", StackProps.builder().build(),
                config, TestSupport.code()));

        // THEN the function may send credentials to every API and token host, and read (only) those admin secrets
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of(
                "Variables", Match.objectLike(Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "graph.microsoft.com,"
                        + "login.microsoftonline.com,example.okta.com,cloud.mongodb.com,iam.googleapis.com,oauth2.googleapis.com"))))));
        Map<String, Object> read = TestSupport.statementBySid(template, "ReadAdminSecrets");
        assertThat(TestSupport.asList(read.get("Resource"))).containsExactlyInAnyOrder(entraAdmin, oktaAdmin, atlasAdmin, gcpAdmin);
    }
}
