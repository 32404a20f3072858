package dev.secretrotator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.iam.RecordedCall;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.GcpIamTestServer;
import dev.secretrotator.testing.saas.SendGridTestServer;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records every AWS call the function makes with its own credentials while it does everything a
 * deployment asks of it: a rotation of each provider, a sweep with ids and one without (which
 * enumerates with ListSecrets), a rollback, an automatic rollback and its refusal, a repair and an
 * emergency rotation. The calls and the
 * world they ran in go to {@code calls.json}, which the cdk module's {@code PermissionContractTest}
 * holds against the synthesized role policy and {@code templates/secret-rotator.yaml}.
 *
 * <p>Targets are bound to their secrets as deployments do it (design.md §2 rule 10): each IAM user
 * carries {@code secret-rotator:secret}, each admin secret {@code secret-rotator:serves} and
 * {@code secret-rotator:endpoints}.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class PermissionContractIT {
    static final String USER_PATH = "/rotated/";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/" + UUID.randomUUID();
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    /** Every action the scenario below makes with the function's own credentials, implied ones included. */
    static final String[] OWN_ACTIONS = {
        "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
        "secretsmanager:UpdateSecretVersionStage", "secretsmanager:RotateSecret", "secretsmanager:TagResource",
        "secretsmanager:UntagResource", "secretsmanager:ListSecrets", "secretsmanager:GetRandomPassword",
        "iam:ListUserTags", "iam:ListAccessKeys", "iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey",
        "iam:GetAccessKeyLastUsed", "sts:AssumeRole", "events:PutEvents", "kms:Decrypt", "kms:GenerateDataKey",
        "lambda:InvokeFunction"};

    WeaviateTestServer weaviate;
    SendGridTestServer sendgrid;
    GcpIamTestServer gcp;
    ContractRig rig;
    final Map<String, String> rotated = new LinkedHashMap<>();
    final List<String> admins = new ArrayList<>();
    final List<String> roles = new ArrayList<>();

    @BeforeEach
    void setUp(MotoServer moto) {
        rig = new ContractRig(moto, "127.0.0.1,localhost");
        weaviate = WeaviateTestServer.builder().withRootUser("admin", sensitive(randomKey()))
                .withRole("reader", "read_data").start();
        weaviate.setClock(rig.clock);
        sendgrid = new SendGridTestServer(rig.clock);
        gcp = new GcpIamTestServer(rig.clock);
    }

    @AfterEach
    void tearDown() {
        weaviate.close();
        sendgrid.close();
        sendgrid.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
        gcp.close();
        gcp.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
    }

    @Test
    void everyStepAndOperation_recordsTheCallsTheRoleMustAllow() throws IOException {
        // GIVEN a secret of every provider, its target bound to it
        String password = secret("contract/password", Map.of("provider", "random-password", "password", "first-password"), KMS_KEY);
        String iamA = iamSecret("contract/iam-a", "pc-deployer-a");
        String iamB = iamSecret("contract/iam-b", "pc-deployer-b");
        String cross = crossAccountSecret("contract/iam-cross", "pc-cross");
        String weaviateSecret = weaviateSecret("contract/weaviate");
        String saas = saasSecret("contract/sendgrid");
        // an OAuth vendor that deactivates before it deletes: token steps, and the sweep's retirement ledger
        String gcpKey = gcpSecret("contract/gcp-key");

        // WHEN each rotates, as Secrets Manager drives it
        for (String arn : rotated.keySet()) {
            rig.recorder.scenario("rotation/" + rotated.get(arn));
            rig.driver.rotate(arn);
        }
        // AND a production secret gated by its staging twin (the password secret, rotated above): DescribeSecret on the twin
        String gated = secret("contract/gated", Map.of("provider", "random-password", "password", "gated-password"), null);
        rig.sm.tagResource(b -> b.secretId(gated).tags(t -> t.key("secret-rotator:staging-twin").value(password)));
        rig.recorder.scenario("staging-gate");
        rig.driver.rotate(gated);
        // AND the scheduled sweep runs past the grace period, with the deployment's list and without
        rig.clock.advance(Duration.ofHours(30));
        rig.recorder.scenario("sweep-listed");
        String listed = rig.invoke(Json.write(Map.of("action", "sweep", "secretIds", List.copyOf(rotated.keySet()))));
        rig.recorder.scenario("sweep-all");
        String all = rig.invoke("{\"action\":\"sweep\"}");
        // AND a tag-mode deployment's sweep (issue 17): ListSecrets filtered by the selector tag
        rotated.keySet().forEach(arn -> rig.sm.tagResource(b -> b.secretId(arn)
                .tags(t -> t.key("rotation-deployment").value("contract"))));
        String tagged = rig.components(Map.of("ROTATOR_SECRET_TAG", "rotation-deployment=contract")).operations()
                .run("sweep", Map.of("action", "sweep")).toString();
        // AND a rollback, a repair of an abandoned rotation, and an emergency rotation
        rig.recorder.scenario("rollback");
        rig.invoke(Json.write(Map.of("action", "rollback", "secretId", iamA)));
        rig.invoke(Json.write(Map.of("action", "rollback", "secretId", password)));
        // AND an AutoRollback alarm after the next rotation: one automatic rollback, then a refusal
        rig.recorder.scenario("auto-rollback");
        rig.driver.rotate(password);
        String auto = Json.write(Map.of("action", "rollback", "secretId", password, "window", "PT2H"));
        assertThat(rig.invoke(auto)).doesNotContain("refused");
        assertThat(rig.invoke(auto)).contains("refused");
        rig.recorder.scenario("repair");
        // past the hold of the key the sweep deactivated: createSecret deletes it to make room
        rig.clock.advance(Duration.ofHours(49));
        String stuck = rig.driver.startRotation(iamB);
        rig.driver.invoke("createSecret", iamB, stuck);
        assertThat(rig.components.operations().repair().run(iamB, true).repaired()).isTrue();
        rig.recorder.scenario("emergency");
        rig.invoke(Json.write(Map.of("action", "emergency", "secretId", iamB)));
        rig.invoke(Json.write(Map.of("action", "emergency", "secretId", weaviateSecret)));
        // AND past its hold, the sweep deletes the key it deactivated, clearing the ledger
        rig.recorder.scenario("sweep-after-hold");
        String afterHold = rig.invoke(Json.write(Map.of("action", "sweep", "secretIds", List.of(gcpKey))));

        // THEN the operations did their work, and the calls are written for the contract test
        assertThat(listed).contains("DEACTIVATED").doesNotContain("FAILED");
        assertThat(all).contains(cross).contains(saas).contains(gcpKey).doesNotContain("FAILED");
        assertThat(afterHold).contains("DELETED").doesNotContain("FAILED");
        assertThat(tagged).contains(cross).contains(saas).doesNotContain("FAILED").doesNotContain("REFUSED");
        List<RecordedCall> calls = rig.recorder.calls();
        assertRecordedEveryCallTheFlowMakes(calls);
        write(calls);
    }

    /**
     * Pins the whole set: a change to the flow that stops making one of these calls (so the
     * contract would no longer check its grant) or starts making a new one fails here first.
     */
    private void assertRecordedEveryCallTheFlowMakes(List<RecordedCall> calls) {
        List<RecordedCall> own = calls.stream().filter(RecordedCall::own).toList();
        assertThat(own).extracting(RecordedCall::action).as("the function's own calls").containsOnly(OWN_ACTIONS);
        for (String admin : admins) {
            assertThat(own).filteredOn(c -> c.resource().equals(admin)).extracting(RecordedCall::action)
                    .as("the binding check and the read of admin secret %s", admin)
                    .contains("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue");
        }
        assertThat(own).filteredOn(c -> c.action().equals("lambda:InvokeFunction")).extracting(RecordedCall::resource)
                .as("RotateSecret's implied invoke of the configured function").containsOnly(ServiceDriver.FUNCTION_ARN);
        assertThat(own).filteredOn(c -> c.action().startsWith("kms:")).allMatch(RecordedCall::implied)
                .extracting(RecordedCall::resource).containsOnly(KMS_KEY);
        assertThat(calls).filteredOn(c -> !c.own()).extracting(RecordedCall::action)
                .as("calls under a new access key or an assumed role").containsOnly(
                        "sts:GetCallerIdentity", "iam:CreateAccessKey", "iam:ListAccessKeys", "iam:ListUserTags");
        assertThat(calls).filteredOn(c -> c.action().equals("sts:GetCallerIdentity")).isNotEmpty().noneMatch(RecordedCall::own);
    }

    private String secret(String name, Map<String, Object> value, String kmsKey) {
        String arn = rig.sm.createSecret(b -> b.name(name).secretString(Json.write(value)).kmsKeyId(kmsKey)).arn();
        rotated.put(arn, (String) value.get("provider") + (value.containsKey("roleArn") ? "/cross-account" : ""));
        return arn;
    }

    private String iamSecret(String name, String user) {
        rig.iam.createUser(b -> b.userName(user).path(USER_PATH).tags(t -> t.key("secret-rotator:secret").value(name)));
        var key = rig.iam.createAccessKey(b -> b.userName(user)).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        return secret(name, Map.of("provider", "aws-iam", "userName", user, "accessKeyId", key.accessKeyId(),
                "secretAccessKey", key.secretAccessKey()), null);
    }

    private String crossAccountSecret(String name, String user) {
        String role = rig.iam.createRole(b -> b.roleName("pc-key-rotator").assumeRolePolicyDocument(TRUST)).role().arn();
        roles.add(role);
        rig.iam.createUser(b -> b.userName(user).path(USER_PATH).tags(t -> t.key("secret-rotator:secret").value(name)));
        return secret(name, Map.of("provider", "aws-iam", "userName", user, "roleArn", role), null);
    }

    private String weaviateSecret(String name) {
        String admin = adminSecret("contract/weaviate-admin", Map.of("apiKey", weaviate.apiKeyOf("admin")), name, weaviate.baseUrl());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("provider", "weaviate");
        value.put("endpoint", weaviate.baseUrl());
        value.put("userId", "app_a");
        value.put("alternateUserId", "app_b");
        value.put("apiKey", sensitive(weaviate.createDbUser("app_a", "reader")));
        value.put("adminSecretArn", admin);
        value.put("retirement", Map.of("quietPeriod", "PT1S"));
        value.put("verification", Map.of("timeout", "PT10S"));
        return secret(name, value, null);
    }

    private String saasSecret(String name) {
        ApiKeys.Key first = sendgrid.seedKey("made in the console");
        LeakCheck.sensitive(first.secret());
        sendgrid.adminSecret().values().forEach(LeakCheck::sensitive);
        String admin = adminSecret("contract/sendgrid-admin", Map.copyOf(sendgrid.adminSecret()), name, sendgrid.url());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("provider", "http-api-key");
        value.put("profile", "sendgrid");
        value.put("endpoint", sendgrid.url());
        value.putAll(sendgrid.secretFields());
        value.put("keyId", first.id());
        value.put("apiKey", first.secret());
        value.put("adminSecretArn", admin);
        value.put("verification", Map.of("pollInterval", "PT0.1S", "timeout", "PT15S", "consecutiveSuccesses", 2));
        return secret(name, value, null);
    }

    private String gcpSecret(String name) {
        ApiKeys.Key first = gcp.seedKey("made in the console");
        LeakCheck.sensitive(first.secret());
        gcp.adminSecret().values().forEach(LeakCheck::sensitive);
        String admin = adminSecret("contract/gcp-admin", Map.copyOf(gcp.adminSecret()), name, gcp.url());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("provider", "http-api-key");
        value.put("profile", "gcp-service-account-key");
        value.put("endpoint", gcp.url());
        value.put("tokenEndpoint", gcp.url());
        value.putAll(gcp.secretFields());
        value.put("keyId", first.id());
        value.put("apiKey", first.secret());
        value.put("adminSecretArn", admin);
        value.put("verification", Map.of("pollInterval", "PT0.1S", "timeout", "PT15S", "consecutiveSuccesses", 2));
        return secret(name, value, null);
    }

    private String adminSecret(String name, Map<String, ?> value, String serves, String endpoint) {
        String arn = rig.sm.createSecret(b -> b.name(name).secretString(Json.write(value))
                .tags(t -> t.key("secret-rotator:serves").value(serves),
                        t -> t.key("secret-rotator:endpoints").value(URI.create(endpoint).getHost()))).arn();
        admins.add(arn);
        return arn;
    }

    private void write(List<RecordedCall> calls) throws IOException {
        Map<String, Object> world = new LinkedHashMap<>();
        world.put("partition", rig.partition());
        world.put("region", rig.region());
        world.put("account", rig.account());
        world.put("rotatedSecrets", rotated.keySet().stream().map(this::describe).toList());
        world.put("adminSecrets", admins.stream().map(this::describe).toList());
        world.put("iamUserPath", USER_PATH);
        world.put("assumeRoleArns", roles);
        world.put("eventBusArn", "arn:aws:events:" + rig.region() + ":" + rig.account() + ":event-bus/default");
        world.put("kmsKeyArns", List.of(KMS_KEY));
        // the function the rotated secrets are configured with: in a deployment, the stack's own function
        world.put("rotationFunctionArn", ServiceDriver.FUNCTION_ARN);
        world.put("calls", calls.stream().distinct().map(RecordedCall::toJson).toList());
        Path file = Path.of(System.getProperty("permission.contract.dir", "target/permission-contract"), "calls.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.write(world));
    }

    private Map<String, Object> describe(String arn) {
        var secret = rig.sm.describeSecret(b -> b.secretId(arn));
        Map<String, String> tags = new LinkedHashMap<>();
        secret.tags().forEach(t -> tags.put(t.key(), t.value()));
        return Map.of("arn", secret.arn(), "name", secret.name(), "tags", tags);
    }

    static String sensitive(String key) {
        LeakCheck.sensitive(key);
        return key;
    }

    static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
