package dev.secretrotator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.iam.RecordedCall;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.SendGridTestServer;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The AWS API calls of one whole rotation per provider, step by step, and of the sweep that
 * follows it past the grace period, held to a budget (issue 15 item 5). Each budget is the
 * multiset of calls the step makes today: a change that adds a call (a redundant read, say) fails
 * here, and so does one that saves a call, so that docs/benchmarks.md ("AWS API calls per
 * rotation") is updated with it. Calls that a service makes on the caller's behalf (KMS behind
 * Secrets Manager) are not counted; calls signed with a new key (STS proving it) are.
 *
 * <p>For comparison, AWS's Python rotation template makes 10: DescribeSecret in every step,
 * createSecret's GetSecretValue of AWSCURRENT and of the pending version, GetRandomPassword and
 * PutSecretValue, and finishSecret's second DescribeSecret and UpdateSecretVersionStage (its
 * setSecret and testSecret are left to the implementer).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class ApiCallBudgetIT {
    static final List<String> STEPS = List.of("createSecret", "setSecret", "testSecret", "finishSecret");
    /** Every step: DescribeSecret, then AWSCURRENT (the provider is named there). */
    static final String NO_OP_SET = "DescribeSecret 1, GetSecretValue 1";
    /** The pending value read once, for the configuration test's rule and for the provider. */
    static final String TEST = "DescribeSecret 1, GetSecretValue 2";
    /** The pending value, the cutover tag, AWSCURRENT moved, AWSPENDING cleared, the "rotated" event. */
    static final String FINISH = "DescribeSecret 1, GetSecretValue 2, PutEvents 1, TagResource 1, UpdateSecretVersionStage 2";
    /** Describe, AWSCURRENT, the admin secret (tags, value), the pending check, the claim (stored, checked again
     * under it, released), the attempt tag and the value. */
    static final String WEAVIATE_CREATE =
            "DescribeSecret 2, GetSecretValue 4, PutSecretValue 2, TagResource 1, UpdateSecretVersionStage 1";

    ContractRig rig;
    WeaviateTestServer weaviate;
    SendGridTestServer sendgrid;

    @BeforeEach
    void setUp(MotoServer moto) {
        rig = new ContractRig(moto, "127.0.0.1,localhost");
    }

    @AfterEach
    void tearDown() {
        if (weaviate != null) {
            weaviate.close();
        }
        if (sendgrid != null) {
            sendgrid.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret()));
            sendgrid.close();
        }
    }

    @Test
    void randomPasswordRotation_staysWithinItsCallBudget() {
        // GIVEN a random-password secret
        String arn = secret("budget/password", Map.of("provider", "random-password", "password", "first-password"));

        // WHEN it rotates, and the sweep runs afterwards
        Map<String, String> calls = rotateAndSweep(arn);

        // THEN
        assertThat(calls).isEqualTo(budget(
                "DescribeSecret 1, GetRandomPassword 1, GetSecretValue 2, PutSecretValue 1, TagResource 1",
                NO_OP_SET, TEST, FINISH,
                "DescribeSecret 1, GetSecretValue 1"));
    }

    @Test
    void awsIamRotation_staysWithinItsCallBudget() {
        // GIVEN an IAM user bound to its secret, with one key
        String user = "budget-deployer";
        String name = "budget/iam";
        rig.iam.createUser(b -> b.userName(user).tags(t -> t.key("secret-rotator:secret").value(name)));
        var key = rig.iam.createAccessKey(b -> b.userName(user)).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        String arn = secret(name, Map.of("provider", "aws-iam", "userName", user, "accessKeyId", key.accessKeyId(),
                "secretAccessKey", key.secretAccessKey(), "verification", Map.of("consecutiveSuccesses", 1)));

        // WHEN it rotates, and the sweep runs afterwards
        Map<String, String> calls = rotateAndSweep(arn);

        // THEN the user's binding tag is read once in createSecret; the minting ledger (the second
        // DescribeSecret) and AWSPREVIOUS are read after ListAccessKeys, as guards
        assertThat(calls).isEqualTo(budget(
                "CreateAccessKey 1, DescribeSecret 2, GetSecretValue 3, ListAccessKeys 1, ListUserTags 1, PutSecretValue 1,"
                        + " TagResource 2",
                NO_OP_SET,
                "DescribeSecret 1, GetCallerIdentity 1, GetSecretValue 2",
                "DescribeSecret 2, GetSecretValue 2, PutEvents 1, TagResource 1, UntagResource 1, UpdateSecretVersionStage 2",
                "DescribeSecret 1, GetAccessKeyLastUsed 1, GetSecretValue 2, ListAccessKeys 2, ListUserTags 1, PutEvents 1,"
                        + " TagResource 1, UpdateAccessKey 1"));
    }

    @Test
    void weaviateAlternatingUsersRotation_staysWithinItsCallBudget() {
        // GIVEN a Weaviate secret of two alternating users, its admin secret bound to it
        String arn = weaviateSecret("budget/weaviate-alternating", "alternating-users");

        // WHEN it rotates, and the sweep runs afterwards
        Map<String, String> calls = rotateAndSweep(arn);

        // THEN the admin secret is read once per step that manages users
        assertThat(calls).isEqualTo(budget(WEAVIATE_CREATE,
                "DescribeSecret 2, GetSecretValue 3",
                "DescribeSecret 2, GetSecretValue 3",
                FINISH,
                "DescribeSecret 2, GetSecretValue 2, PutEvents 1, TagResource 1"));
    }

    @Test
    void weaviateSingleUserRotation_staysWithinItsCallBudget() {
        // GIVEN a Weaviate secret of one user, its admin secret bound to it
        String arn = weaviateSecret("budget/weaviate-single", "single-user");

        // WHEN it rotates, and the sweep runs afterwards
        Map<String, String> calls = rotateAndSweep(arn);

        // THEN testSecret proves the new key without the admin secret
        assertThat(calls).isEqualTo(budget(WEAVIATE_CREATE,
                "DescribeSecret 1, GetSecretValue 2",
                TEST, FINISH,
                "DescribeSecret 1, GetSecretValue 1"));
    }

    @Test
    void httpApiKeyRotation_staysWithinItsCallBudget() {
        // GIVEN a SendGrid key, its admin secret bound to the secret
        String arn = sendgridSecret("budget/sendgrid");

        // WHEN it rotates, and the sweep runs afterwards
        Map<String, String> calls = rotateAndSweep(arn);

        // THEN the admin secret is read once in createSecret
        assertThat(calls).isEqualTo(budget(
                "DescribeSecret 2, GetSecretValue 3, PutSecretValue 1, TagResource 1",
                NO_OP_SET, TEST, FINISH,
                "DescribeSecret 2, GetSecretValue 3, PutEvents 1"));
    }

    /**
     * One rotation as the service drives it, then one sweep past the grace period: the calls of each
     * step and of the sweep, as {@code "Operation count, ..."} (sorted by operation).
     */
    private Map<String, String> rotateAndSweep(String arn) {
        String token = rig.driver.startRotation(arn);
        for (String step : STEPS) {
            rig.recorder.scenario(step);
            rig.driver.invoke(step, arn, token);
        }
        rig.recorder.scenario("between");
        // what the service does after a rotation (the engine's finishSecret has usually done it already)
        if (rig.sm.describeSecret(b -> b.secretId(arn)).versionIdsToStages().get(token).contains("AWSPENDING")) {
            rig.sm.updateSecretVersionStage(b -> b.secretId(arn).versionStage("AWSPENDING").removeFromVersionId(token));
        }
        rig.clock.advance(Duration.ofHours(30));
        rig.recorder.scenario("sweep");
        String report = rig.invoke(Json.write(Map.of("action", "sweep", "secretIds", List.of(arn))));
        assertThat(report).doesNotContain("FAILED");
        Map<String, String> counted = new LinkedHashMap<>();
        for (String scenario : List.of("createSecret", "setSecret", "testSecret", "finishSecret", "sweep")) {
            counted.put(scenario, count(rig.recorder.calls().stream().filter(c -> c.scenario().equals(scenario)).toList()));
        }
        System.out.println("API calls of " + arn + ": " + counted);
        return counted;
    }

    private static String count(List<RecordedCall> calls) {
        Map<String, Long> byOperation = calls.stream().filter(c -> !c.implied())
                .collect(Collectors.groupingBy(c -> c.action().substring(c.action().indexOf(':') + 1), TreeMap::new,
                        Collectors.counting()));
        return byOperation.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static Map<String, String> budget(String create, String set, String test, String finish, String sweep) {
        Map<String, String> budget = new LinkedHashMap<>();
        budget.put("createSecret", create);
        budget.put("setSecret", set);
        budget.put("testSecret", test);
        budget.put("finishSecret", finish);
        budget.put("sweep", sweep);
        return budget;
    }

    private String secret(String name, Map<String, Object> value) {
        return rig.sm.createSecret(b -> b.name(name).secretString(Json.write(value))).arn();
    }

    private String weaviateSecret(String name, String strategy) {
        weaviate = WeaviateTestServer.builder().withRootUser("admin", PermissionContractIT.sensitive(PermissionContractIT.randomKey()))
                .withRole("reader", "read_data").start();
        weaviate.setClock(rig.clock);
        String admin = adminSecret(name + "-admin", Map.of("apiKey", weaviate.apiKeyOf("admin")), name, weaviate.baseUrl());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("provider", "weaviate");
        value.put("endpoint", weaviate.baseUrl());
        value.put("strategy", strategy);
        value.put("userId", "app_a");
        if (strategy.equals("alternating-users")) {
            value.put("alternateUserId", "app_b");
        }
        value.put("apiKey", PermissionContractIT.sensitive(weaviate.createDbUser("app_a", "reader")));
        value.put("adminSecretArn", admin);
        value.put("retirement", Map.of("quietPeriod", "PT1S"));
        value.put("verification", Map.of("timeout", "PT10S", "consecutiveSuccesses", 1));
        return secret(name, value);
    }

    private String sendgridSecret(String name) {
        sendgrid = new SendGridTestServer(rig.clock);
        ApiKeys.Key first = sendgrid.seedKey("made in the console");
        LeakCheck.sensitive(first.secret());
        sendgrid.adminSecret().values().forEach(LeakCheck::sensitive);
        String admin = adminSecret(name + "-admin", Map.copyOf(sendgrid.adminSecret()), name, sendgrid.url());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("provider", "http-api-key");
        value.put("profile", "sendgrid");
        value.put("endpoint", sendgrid.url());
        value.putAll(sendgrid.secretFields());
        value.put("keyId", first.id());
        value.put("apiKey", first.secret());
        value.put("adminSecretArn", admin);
        value.put("verification", Map.of("pollInterval", "PT0.1S", "timeout", "PT15S", "consecutiveSuccesses", 1));
        return secret(name, value);
    }

    private String adminSecret(String name, Map<String, ?> value, String serves, String endpoint) {
        return rig.sm.createSecret(b -> b.name(name).secretString(Json.write(value))
                .tags(t -> t.key("secret-rotator:serves").value(serves),
                        t -> t.key("secret-rotator:endpoints").value(URI.create(endpoint).getHost()))).arn();
    }
}
