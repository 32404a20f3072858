package dev.secretrotator.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.TestRotator;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.EncryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Issue 9: a catalogue of bad inputs beside the twelve of {@code RotationErrorsIT}. Each is refused
 * with a {@link RotationException} whose message says what is wrong, names the secret and the
 * step wherever the event carried them, quotes no secret value or rotation token and stays short;
 * and nothing on the emulator changed (every secret's tags, every version's labels and value),
 * and the function made no write call.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class BadInputCatalogueIT {
    static final String PASSWORD = "{\"provider\":\"random-password\",\"password\":\"catalogue-pw-1\"}";
    static final String NOWHERE = "http://127.0.0.1:9";
    static final List<String> TRIED = new ArrayList<>();

    /** The invocation that must be refused, and what its error must say. */
    record Attempt(Runnable invocation, Class<? extends RotationException> type, String fragment, String secretId, String step) {}

    /** One bad input: prepares the emulator, returns the invocation. */
    @FunctionalInterface
    interface Case {
        Attempt prepare(Bench bench);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badInput_isRefusedClearly_namingSecretAndStep_andChangesNothing(Case c, MotoServer moto) {
        // GIVEN the emulator prepared for the case
        Bench bench = new Bench(moto);
        Attempt attempt = c.prepare(bench);
        Map<String, String> before = EmulatorState.snapshot(bench.rotator.client);
        List<String> secrets = new ArrayList<>(EmulatorState.storedCredentials(bench.rotator.client));
        secrets.addAll(bench.sensitive);
        secrets.addAll(bench.rotator.driver.rotationTokensSent());
        Map<String, Integer> callsBefore = bench.rotator.faults.allCalls();

        // WHEN the function is invoked
        Throwable thrown = catchThrowable(attempt.invocation()::run);

        // THEN it refused with a clear, short message that names the secret and the step and quotes no value
        assertThat(thrown).isInstanceOf(attempt.type());
        String message = thrown.getMessage();
        assertThat(message).containsIgnoringCase(attempt.fragment()).hasSizeLessThan(1_200);
        if (attempt.secretId() != null) {
            assertThat(message).contains("secret " + attempt.secretId());
        }
        if (attempt.step() != null) {
            assertThat(message).contains("step " + attempt.step());
        }
        secrets.forEach(s -> assertThat(message).as("the message quotes a secret value").doesNotContain(s));
        // AND nothing changed
        assertThat(EmulatorState.snapshot(bench.rotator.client)).as("emulator state").isEqualTo(before);
        for (String write : List.of("putSecretValue", "updateSecretVersionStage", "tagResource", "untagResource")) {
            if (bench.faulted.contains(write)) {
                continue; // the call was made and failed by the injected fault: the snapshot shows it changed nothing
            }
            assertThat(bench.rotator.faults.calls(write)).as(write + " calls").isEqualTo(callsBefore.getOrDefault(write, 0));
        }
        synchronized (TRIED) {
            TRIED.add(message.length() > 140 ? message.substring(0, 140) + "..." : message);
        }
    }

    @AfterAll
    static void printFigures() {
        System.out.printf("bad-input catalogue: %d cases here + 12 in RotationErrorsIT, all refused with nothing changed%n",
                TRIED.size());
    }

    /** The function under test on moto, and what the case needs. */
    static final class Bench {
        final MotoServer moto;
        final List<String> sensitive = new ArrayList<>();
        final java.util.Set<String> faulted = new java.util.HashSet<>();
        TestRotator rotator;

        Bench(MotoServer moto) {
            this.moto = moto;
            this.rotator = new TestRotator(moto, Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "weaviate.example.com"));
        }

        Bench env(Map<String, String> env) {
            rotator = new TestRotator(moto, env);
            return this;
        }

        String secret(String name, String json) {
            return rotator.createSecret(name, json);
        }

        /** An admin secret bound (tagged) to the catalogue's secrets and the loopback endpoint. */
        String adminSecret(String name, String json) {
            return dev.secretrotator.AdminTags.bindToAccount(rotator.client, secret(name, json), "127.0.0.1");
        }

        /** A secret with a rotation started: {arn, token}. */
        String[] rotating(String name, String json) {
            String arn = secret(name, json);
            return new String[] {arn, rotator.driver.startRotation(arn)};
        }

        Runnable step(String step, String arn, String token) {
            return () -> rotator.driver.invoke(step, arn, token);
        }

        Runnable raw(String payload) {
            return () -> rotator.driver.invokeRaw(payload);
        }

        /** A rotation token for a hand-written event; registered as sensitive. */
        String rotationToken() {
            String t = UUID.randomUUID().toString();
            sensitive.add(t);
            LeakCheck.sensitive(t);
            return t;
        }

        /** A weaviate secret with {@code extra} fields set (null removes one). */
        String weaviate(String name, Map<String, Object> extra) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("provider", "weaviate");
            v.put("endpoint", NOWHERE);
            v.put("userId", "app_a");
            v.put("alternateUserId", "app_b");
            v.put("apiKey", "weaviate-app-key-123456");
            v.put("adminSecretArn", "weaviate-admin");
            extra.forEach((k, x) -> {
                if (x == null) {
                    v.remove(k);
                } else {
                    v.put(k, x);
                }
            });
            return Json.write(v);
        }

        String iam(Map<String, Object> fields) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("provider", "aws-iam");
            v.putAll(fields);
            return Json.write(v);
        }
    }

    static Arguments of(String name, Case c) {
        return Arguments.of(Named.of(name, c));
    }

    static Attempt refuse(Runnable run, Class<? extends RotationException> type, String fragment, String secretId, String step) {
        return new Attempt(run, type, fragment, secretId, step);
    }

    static Stream<Arguments> catalogue() {
        return Stream.of(eventCases(), secretCases(), stateCases()).flatMap(s -> s);
    }

    /** The event itself is bad. */
    static Stream<Arguments> eventCases() {
        return Stream.of(
                of("event: truncated JSON", b -> {
                    String[] s = b.rotating("cat/truncated", PASSWORD);
                    String event = EventFixtures.rotation("createSecret", s[0], s[1], b.rotationToken());
                    return refuse(b.raw(event.substring(0, event.length() - 20)), InvalidInputException.class,
                            "not valid JSON", s[0], "createSecret");
                }),
                of("event: empty payload", b -> refuse(b.raw(""), InvalidInputException.class, "not valid JSON", null, null)),
                of("event: a JSON array", b -> refuse(b.raw("[\"createSecret\"]"), InvalidInputException.class,
                        "must be a JSON object", null, null)),
                of("event: JSON null", b -> refuse(b.raw("null"), InvalidInputException.class, "must be a JSON object", null, null)),
                of("event: Step is a number", b -> {
                    String[] s = b.rotating("cat/step-number", PASSWORD);
                    return refuse(b.raw(event(s[0], 1, s[1], null)), InvalidInputException.class, "Step must be a string", s[0], null);
                }),
                of("event: SecretId is a number", b -> refuse(b.raw(event(12345, "setSecret", UUID.randomUUID().toString(), null)),
                        InvalidInputException.class, "SecretId must be a string", null, "setSecret")),
                of("event: ClientRequestToken is an object", b -> {
                    String[] s = b.rotating("cat/token-object", PASSWORD);
                    return refuse(b.raw(event(s[0], "testSecret", Map.of("id", s[1]), null)), InvalidInputException.class,
                            "ClientRequestToken must be a string", s[0], "testSecret");
                }),
                of("event: RotationToken is a number", b -> {
                    String[] s = b.rotating("cat/rotation-token-number", PASSWORD);
                    return refuse(b.raw(event(s[0], "createSecret", s[1], 42)), InvalidInputException.class,
                            "RotationToken must be a string", s[0], "createSecret");
                }),
                of("event: no Step", b -> {
                    String[] s = b.rotating("cat/no-step", PASSWORD);
                    return refuse(b.raw(event(s[0], null, s[1], null)), InvalidInputException.class, "has no Step", s[0], null);
                }),
                of("event: empty Step", b -> {
                    String[] s = b.rotating("cat/empty-step", PASSWORD);
                    return refuse(b.raw(event(s[0], "", s[1], null)), InvalidInputException.class, "has no Step", s[0], null);
                }),
                of("event: Step in the wrong case", b -> {
                    String[] s = b.rotating("cat/step-case", PASSWORD);
                    return refuse(b.raw(event(s[0], "CreateSecret", s[1], null)), InvalidInputException.class,
                            "unknown step 'CreateSecret'", s[0], null);
                }),
                of("event: empty SecretId", b -> refuse(b.raw(event("", "createSecret", UUID.randomUUID().toString(), null)),
                        InvalidInputException.class, "has no SecretId", null, "createSecret")),
                of("event: empty ClientRequestToken", b -> {
                    String[] s = b.rotating("cat/empty-token", PASSWORD);
                    return refuse(b.raw(event(s[0], "finishSecret", "", null)), InvalidInputException.class,
                            "has no ClientRequestToken", s[0], "finishSecret");
                }),
                of("event: huge SecretId (100 000 characters)", b -> refuse(b.raw(event("x".repeat(100_000), "createSecret",
                        UUID.randomUUID().toString(), null)), InvalidInputException.class, "longer than", null, "createSecret")),
                of("event: huge ClientRequestToken (10 000 characters)", b -> {
                    String[] s = b.rotating("cat/huge-token", PASSWORD);
                    return refuse(b.raw(event(s[0], "createSecret", "t".repeat(10_000), null)), InvalidInputException.class,
                            "ClientRequestToken", s[0], "createSecret");
                }),
                of("event: unknown action", b -> refuse(b.raw("{\"action\":\"explode\"}"), InvalidInputException.class,
                        "unknown action 'explode'", null, null)),
                of("event: action is a number", b -> refuse(b.raw("{\"action\":7}"), InvalidInputException.class,
                        "\"action\" must be a string", null, null)));
    }

    /** The secret's value is bad. */
    static Stream<Arguments> secretCases() {
        return Stream.of(
                of("secret: provider is an empty string", b -> {
                    String[] s = b.rotating("cat/provider-empty", "{\"provider\":\"\",\"password\":\"pw-123456\"}");
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "provider", s[0], "createSecret");
                }),
                of("secret: a JSON string, not an object", b -> {
                    String[] s = b.rotating("cat/scalar", "\"random-password\"");
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "must be a JSON object", s[0], "createSecret");
                }),
                of("secret: binary, not a JSON string", b -> {
                    String arn = b.rotator.client.createSecret(r -> r.name("cat/binary")
                            .secretBinary(SdkBytes.fromUtf8String("binary-payload-123"))).arn();
                    String token = b.rotator.driver.startRotation(arn);
                    return refuse(b.step("createSecret", arn, token), InvalidInputException.class, "holds binary data (SecretBinary)", arn, "createSecret");
                }),
                of("secret: huge unknown provider name (50 000 characters)", b -> {
                    String[] s = b.rotating("cat/huge-provider", "{\"provider\":\"" + "p".repeat(50_000) + "\"}");
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "unknown provider", s[0], "createSecret");
                }),
                of("aws-iam: userName is a number", b -> {
                    String[] s = b.rotating("cat/iam-user-number", b.iam(Map.of("userName", 42)));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "\"userName\" must be a string", s[0], "createSecret");
                }),
                of("aws-iam: userName missing", b -> {
                    String[] s = b.rotating("cat/iam-no-user", b.iam(Map.of("accessKeyId", "AKIAEXAMPLE")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "\"userName\" is missing", s[0], "createSecret");
                }),
                of("aws-iam: userName with forbidden characters", b -> {
                    String[] s = b.rotating("cat/iam-user-chars", b.iam(Map.of("userName", "ci deployer; rm -rf")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "not a valid IAM user name", s[0], "createSecret");
                }),
                of("aws-iam: accessKeyId without secretAccessKey", b -> {
                    String[] s = b.rotating("cat/iam-no-secret", b.iam(Map.of("userName", "ci", "accessKeyId", "AKIAEXAMPLE")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "secretAccessKey", s[0], "createSecret");
                }),
                of("aws-iam: roleArn that is not a role ARN", b -> {
                    String[] s = b.rotating("cat/iam-role", b.iam(Map.of("userName", "ci", "roleArn", "arn:aws:iam::12:user/x")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "roleArn", s[0], "createSecret");
                }),
                of("http-api-key: unknown profile", b -> {
                    String[] s = b.rotating("cat/saas-profile", "{\"provider\":\"http-api-key\",\"profile\":\"nosuchvendor\","
                            + "\"keyId\":\"k-1\",\"apiKey\":\"saas-key-123456\"}");
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "unknown profile", s[0], "createSecret");
                }),
                of("http-api-key: endpoint host not allowed", b -> {
                    String[] s = b.rotating("cat/saas-host", "{\"provider\":\"http-api-key\",\"profile\":\"sendgrid\","
                            + "\"endpoint\":\"https://api.sendgrid.example\",\"keyId\":\"k-1\",\"apiKey\":\"saas-key-123456\","
                            + "\"adminSecretArn\":\"sendgrid-admin\"}");
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "ROTATOR_ALLOWED_ENDPOINT_HOSTS", s[0], "createSecret");
                }),
                of("weaviate: endpoint over plain http", b -> {
                    String[] s = b.rotating("cat/wv-http", b.weaviate("w", Map.of("endpoint", "http://weaviate.example.com")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "must use https", s[0], "createSecret");
                }),
                of("weaviate: endpoint host not allowed", b -> {
                    String[] s = b.rotating("cat/wv-host", b.weaviate("w", Map.of("endpoint", "https://weaviate.attacker.example")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "not in ROTATOR_ALLOWED_ENDPOINT_HOSTS", s[0], "createSecret");
                }),
                of("weaviate: endpoint that is not a URL", b -> {
                    String[] s = b.rotating("cat/wv-url", b.weaviate("w", Map.of("endpoint", "weaviate.example.com:443")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "endpoint", s[0], "createSecret");
                }),
                of("weaviate: huge endpoint (20 000 characters)", b -> {
                    String[] s = b.rotating("cat/wv-huge", b.weaviate("w", Map.of("endpoint", "e".repeat(20_000))));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "endpoint", s[0], "createSecret");
                }),
                of("weaviate: unknown strategy", b -> {
                    String[] s = b.rotating("cat/wv-strategy", b.weaviate("w", Map.of("strategy", "round-robin")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "\"strategy\"", s[0], "createSecret");
                }),
                of("weaviate: userId equals alternateUserId", b -> {
                    String[] s = b.rotating("cat/wv-same", b.weaviate("w", Map.of("alternateUserId", "app_a")));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "two different users", s[0], "createSecret");
                }),
                of("weaviate: apiKey missing", b -> {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("apiKey", null);
                    String[] s = b.rotating("cat/wv-nokey", b.weaviate("w", extra));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "\"apiKey\"", s[0], "createSecret");
                }),
                of("weaviate: consecutiveSuccesses of 0", b -> {
                    String[] s = b.rotating("cat/wv-successes", b.weaviate("w", Map.of("verification", Map.of("consecutiveSuccesses", 0))));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "consecutiveSuccesses", s[0], "createSecret");
                }),
                of("weaviate: retirement period that is not a duration", b -> {
                    String[] s = b.rotating("cat/wv-retire", b.weaviate("w", Map.of("retirement", Map.of("gracePeriod", "tomorrow"))));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "gracePeriod", s[0], "createSecret");
                }),
                of("weaviate: admin secret missing", b -> {
                    String[] s = b.rotating("cat/wv-admin-missing", b.weaviate("w", Map.of()));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "admin secret weaviate-admin", s[0], "createSecret");
                }),
                of("weaviate: admin secret not JSON", b -> {
                    b.adminSecret("weaviate-admin", "apiKey=admin-key-123456");
                    b.sensitive.add("admin-key-123456");
                    String[] s = b.rotating("cat/wv-admin-malformed", b.weaviate("w", Map.of()));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "malformed", s[0], "createSecret");
                }),
                of("weaviate: admin secret without the key field", b -> {
                    b.adminSecret("weaviate-admin", "{\"key\":\"admin-key-123456\"}");
                    String[] s = b.rotating("cat/wv-admin-field", b.weaviate("w", Map.of()));
                    return refuse(b.step("createSecret", s[0], s[1]), InvalidInputException.class, "has no \"apiKey\" field", s[0], "createSecret");
                }),
                of("weaviate: admin secret's KMS key denied", b -> {
                    b.adminSecret("weaviate-admin", "{\"apiKey\":\"admin-key-123456\"}");
                    String[] s = b.rotating("cat/wv-admin-kms", b.weaviate("w", Map.of()));
                    // the engine reads AWSCURRENT (call 1) and looks for a pending value (2), the provider the admin secret (3)
                    b.rotator.faults.fail("getSecretValue", b.rotator.faults.calls("getSecretValue") + 3, FaultInjector.When.BEFORE_CALL,
                            () -> kmsDenied(DecryptionFailureException.builder()));
                    return refuse(b.step("createSecret", s[0], s[1]), TargetServiceException.class, "admin secret", s[0], "createSecret");
                }));
    }

    /** The secret's rotation state is bad, or changes under the rotation. */
    static Stream<Arguments> stateCases() {
        return Stream.of(
                of("state: secret outside ROTATOR_ALLOWED_SECRET_ARNS", b -> {
                    b.env(Map.of("ROTATOR_ALLOWED_SECRET_ARNS", "arn:aws:secretsmanager:*:*:secret:payments/*"));
                    String[] s = b.rotating("cat/not-allowed", PASSWORD);
                    return refuse(b.step("createSecret", s[0], s[1]), RotationStateException.class, "ROTATOR_ALLOWED_SECRET_ARNS", s[0], "createSecret");
                }),
                of("state: secret deleted mid-rotation", b -> {
                    String[] s = b.rotating("cat/deleted", PASSWORD);
                    b.rotator.driver.invoke("createSecret", s[0], s[1]);
                    b.rotator.client.deleteSecret(r -> r.secretId(s[0]).forceDeleteWithoutRecovery(true));
                    return refuse(b.step("setSecret", s[0], s[1]), RotationStateException.class, "no such secret", s[0], "setSecret");
                }),
                of("state: secret scheduled for deletion mid-rotation", b -> {
                    String[] s = b.rotating("cat/scheduled-deletion", PASSWORD);
                    b.rotator.driver.invoke("createSecret", s[0], s[1]);
                    b.rotator.client.deleteSecret(r -> r.secretId(s[0]).recoveryWindowInDays(7L));
                    return refuse(b.step("testSecret", s[0], s[1]), RotationStateException.class, "deletion", s[0], "testSecret");
                }),
                of("state: KMS key denied reading the pending value mid-rotation", b -> {
                    String[] s = b.rotating("cat/kms-read", PASSWORD);
                    b.rotator.driver.invoke("createSecret", s[0], s[1]);
                    // testSecret reads AWSCURRENT (call 1), then the pending value (call 2)
                    b.rotator.faults.fail("getSecretValue", b.rotator.faults.calls("getSecretValue") + 2, FaultInjector.When.BEFORE_CALL,
                            () -> kmsDenied(DecryptionFailureException.builder()));
                    return refuse(b.step("testSecret", s[0], s[1]), TargetServiceException.class, "DecryptionFailure", s[0], "testSecret");
                }),
                of("state: KMS key denied storing the pending value", b -> {
                    String[] s = b.rotating("cat/kms-write", PASSWORD);
                    // a retry: an earlier attempt of this rotation's createSecret already left its attempt tag
                    b.rotator.client.tagResource(t -> t.secretId(s[0]).tags(g -> g.key("secret-rotator:create-attempt").value(s[1])));
                    b.faulted.add("putSecretValue");
                    b.rotator.faults.fail("putSecretValue", b.rotator.faults.calls("putSecretValue") + 1, FaultInjector.When.BEFORE_CALL,
                            () -> kmsDenied(EncryptionFailureException.builder()));
                    return refuse(b.step("createSecret", s[0], s[1]), TargetServiceException.class, "EncryptionFailure", s[0], "createSecret");
                }),
                of("state: testSecret after a createSecret that stored no value", b -> {
                    String[] s = b.rotating("cat/out-of-order", PASSWORD);
                    // before createSecret was ever attempted, testSecret is the configuration test (ConfigurationTestIT)
                    b.rotator.faults.fail("putSecretValue", b.rotator.faults.calls("putSecretValue") + 1, FaultInjector.When.BEFORE_CALL,
                            () -> kmsDenied(EncryptionFailureException.builder()));
                    catchThrowable(b.step("createSecret", s[0], s[1])::run);
                    return refuse(b.step("testSecret", s[0], s[1]), RotationStateException.class, "createSecret has not completed", s[0], "testSecret");
                }),
                of("state: finishSecret before createSecret stored a value", b -> {
                    String[] s = b.rotating("cat/finish-first", PASSWORD);
                    return refuse(b.step("finishSecret", s[0], s[1]), RotationStateException.class, "createSecret has not completed", s[0], "finishSecret");
                }));
    }

    /** A rotation event with any field of any type; a null field is left out. */
    static String event(Object secretId, Object step, Object token, Object rotationToken) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (step != null) {
            e.put("Step", step);
        }
        if (secretId != null) {
            e.put("SecretId", secretId);
        }
        if (token != null) {
            e.put("ClientRequestToken", token);
        }
        if (rotationToken != null) {
            e.put("RotationToken", rotationToken);
        }
        return Json.write(e);
    }

    static RuntimeException kmsDenied(SecretsManagerException.Builder builder) {
        String code = builder instanceof DecryptionFailureException.Builder ? "DecryptionFailure" : "EncryptionFailure";
        return builder.message("Access to KMS is not allowed").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("Access to KMS is not allowed")
                        .serviceName("SecretsManager").build()).build();
    }
}
