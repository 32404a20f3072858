package dev.secretrotator.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.handler.AwsClients;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.iam.IamClients;
import dev.secretrotator.testing.EventFixtures;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.saas.SendGridTestServer;
import dev.secretrotator.testing.weaviate.WeaviateTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Issue 9: every network call has connect and read timeouts below the function's timeout, and an
 * invocation that runs out of time fails cleanly, with the function's own message, before Lambda
 * would kill it ({@code Context.getRemainingTimeInMillis()}).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class TimeoutsIT {
    /** The shortest function timeout the deployment allows (SecretRotatorFunctionProps). */
    static final Duration SHORTEST_FUNCTION_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void everyDefaultClient_hasTimeouts_belowTheShortestFunctionTimeout() {
        // GIVEN the clients the function builds for Lambda
        String region = System.getProperty("aws.region");
        System.setProperty("aws.region", MotoServer.REGION);
        try {
            ProviderServices services = AwsClients.register(ProviderServices.builder()).build();
            List<SdkClient> clients = new ArrayList<>();
            clients.add(services.client(SecretsManagerClient.class));
            IamClients iam = services.client(IamClients.class);
            clients.add(iam.iam(Optional.empty()));
            StsClient sts = iam.stsWith(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-real-secret-key"));
            clients.add(sts);

            // THEN each AWS client bounds one attempt and the whole call (retries included)
            for (SdkClient client : clients) {
                ClientOverrideConfiguration o = client.serviceClientConfiguration().overrideConfiguration();
                assertThat(o.apiCallAttemptTimeout()).as(client.serviceName() + " attempt timeout").isPresent()
                        .get().matches(d -> d.compareTo(SHORTEST_FUNCTION_TIMEOUT) < 0);
                assertThat(o.apiCallTimeout()).as(client.serviceName() + " call timeout").isPresent()
                        .get().matches(d -> d.compareTo(SHORTEST_FUNCTION_TIMEOUT) < 0);
            }
            sts.close();
            // AND the providers' HTTP client connects within seconds, follows no redirect, and reads within the read timeout
            HttpClient http = services.client(HttpClient.class);
            assertThat(http.connectTimeout()).get().matches(d -> d.compareTo(Duration.ofSeconds(5)) <= 0);
            assertThat(http.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
            assertThat(AwsClients.READ_TIMEOUT).isLessThan(SHORTEST_FUNCTION_TIMEOUT.minusSeconds(5));
        } finally {
            if (region == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", region);
            }
        }
    }

    @Test
    void awsIam_verificationThatWouldOutliveTheFunction_stopsBeforeItsTimeout_withItsOwnMessage(MotoServer moto) {
        // GIVEN createSecret ran, then the new key was deleted behind the function's back (verification polls for 60 s)
        IamBench bench = new IamBench(moto, Map.of("ROTATOR_VERIFY_TIMEOUT", "PT60S"), "slow-user");
        AccessKey first = bench.newKey("slow-user");
        String arn = bench.secret("timeouts/iam", Json.write(Map.of("provider", "aws-iam", "userName", "slow-user",
                "accessKeyId", first.accessKeyId(), "secretAccessKey", first.secretAccessKey())), "slow-user");
        String token = bench.rotator.driver.startRotation(arn);
        bench.rotator.driver.invoke("createSecret", arn, token);
        String pendingId = (String) Json.object(bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                .versionStage("AWSPENDING")).secretString()).get("accessKeyId");
        bench.iam.deleteAccessKey(b -> b.userName("slow-user").accessKeyId(pendingId));

        // WHEN testSecret runs with 4 s left before Lambda's timeout
        long t0 = System.nanoTime();
        Throwable failed = catchThrowable(() -> invoke(bench.rotator.handler, "testSecret", arn, token, 4_000));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // THEN it fails on its own, with time to spare, saying why; AWSCURRENT is untouched
        System.out.printf("aws-iam verification with 4 s left: failed cleanly after %d ms%n", millis);
        assertThat(failed).isInstanceOf(TargetServiceException.class)
                .hasMessageContaining("secret " + arn).hasMessageContaining("step testSecret")
                .hasMessageContaining("before the function's timeout").hasMessageContaining(pendingId);
        assertThat(millis).isLessThan(4_000);
        assertThat(bench.rotator.stages(arn).get(token)).containsExactly("AWSPENDING");
    }

    @Test
    void weaviate_verificationThatWouldOutliveTheFunction_stopsBeforeItsTimeout_withItsOwnMessage(MotoServer moto) {
        String adminKey = WeaviateBench.randomKey();
        try (WeaviateTestServer server = WeaviateBench.startServer(adminKey)) {
            // GIVEN createSecret gave the idle user a key, then the key was rotated away behind the function's back
            WeaviateBench bench = new WeaviateBench(moto, server, adminKey);
            String arn = bench.alternatingSecret("timeouts/weaviate", "slow_a", "slow_b",
                    Map.of("verification", Map.of("timeout", "PT60S")));
            String token = bench.rotator.driver.startRotation(arn);
            bench.rotator.driver.invoke("createSecret", arn, token);
            bench.rotator.driver.invoke("setSecret", arn, token);
            bench.issued.add(rotateKey(bench, "slow_b"));

            // WHEN testSecret runs with 3 s left
            long t0 = System.nanoTime();
            Throwable failed = catchThrowable(() -> invoke(bench.rotator.handler, "testSecret", arn, token, 3_000));
            long millis = (System.nanoTime() - t0) / 1_000_000;

            // THEN it stops on its own before the timeout, naming the user, and AWSCURRENT still works
            System.out.printf("weaviate verification with 3 s left: failed cleanly after %d ms%n", millis);
            assertThat(failed).isInstanceOf(TargetServiceException.class).hasMessageContaining("step testSecret")
                    .hasMessageContaining("before the function's timeout").hasMessageContaining("slow_b");
            assertThat(millis).isLessThan(3_000);
            assertThat(bench.works((String) Json.object(bench.rotator.value(arn, "AWSCURRENT")).get("apiKey"), "slow_a")).isTrue();
        }
    }

    @Test
    void httpApiKey_verificationThatWouldOutliveTheFunction_stopsBeforeItsTimeout_withItsOwnMessage(MotoServer moto) {
        try (SendGridTestServer sendgrid = new SendGridTestServer()) {
            // GIVEN createSecret minted a key, then it was revoked behind the function's back (verification polls for 60 s)
            SaasBench bench = new SaasBench(moto, sendgrid, new MutableClock());
            Map<String, Object> value = new java.util.LinkedHashMap<>(bench.secret("sendgrid", bench.seed("made in the console")));
            value.put("verification", Map.of("pollInterval", "PT0.2S", "timeout", "PT60S", "consecutiveSuccesses", 2));
            String arn = bench.rotator.createSecret("timeouts/saas", Json.write(value));
            String token = bench.rotator.driver.startRotation(arn);
            bench.rotator.driver.invoke("createSecret", arn, token);
            String pendingId = (String) Json.object(bench.rotator.client.getSecretValue(b -> b.secretId(arn).versionId(token)
                    .versionStage("AWSPENDING")).secretString()).get("keyId");
            revoke(sendgrid, pendingId, bench);

            // WHEN testSecret runs with 3 s left
            long t0 = System.nanoTime();
            Throwable failed = catchThrowable(() -> invoke(bench.rotator.handler, "testSecret", arn, token, 3_000));
            long millis = (System.nanoTime() - t0) / 1_000_000;

            // THEN it stops on its own before the timeout; AWSCURRENT still works
            System.out.printf("http-api-key verification with 3 s left: failed cleanly after %d ms%n", millis);
            assertThat(failed).isInstanceOf(TargetServiceException.class).hasMessageContaining("step testSecret")
                    .hasMessageContaining("before the function's timeout");
            assertThat(millis).isLessThan(3_000);
            assertThat(bench.works(Json.object(bench.rotator.value(arn, "AWSCURRENT")))).isTrue();
        }
    }

    private static void revoke(SendGridTestServer sendgrid, String keyId, SaasBench bench) {
        try {
            var r = bench.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sendgrid.url() + "/v3/api_keys/" + keyId))
                    .header("Authorization", "Bearer " + sendgrid.adminSecret().get("apiKey")).DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(204);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void weaviate_targetThatNeverAnswers_failsTheCallWithinTheTimeLeft(MotoServer moto) throws Exception {
        String adminKey = WeaviateBench.randomKey();
        // GIVEN a Weaviate endpoint that accepts connections and never answers
        try (WeaviateTestServer server = WeaviateBench.startServer(adminKey);
             ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackHole.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            WeaviateBench bench = new WeaviateBench(moto, server, adminKey);
            String arn = bench.alternatingSecret("timeouts/black-hole", "hole_a", "hole_b",
                    Map.of("endpoint", "http://127.0.0.1:" + blackHole.getLocalPort()));
            String token = bench.rotator.driver.startRotation(arn);

            // WHEN createSecret runs with 3 s left (the request timeout alone is 10 s)
            long t0 = System.nanoTime();
            Throwable failed = catchThrowable(() -> invoke(bench.rotator.handler, "createSecret", arn, token, 3_000));
            long millis = (System.nanoTime() - t0) / 1_000_000;

            // THEN the call timed out within the time left, with the provider's message, and nothing was stored
            System.out.printf("weaviate endpoint that never answers, 3 s left: failed cleanly after %d ms%n", millis);
            assertThat(failed).isInstanceOf(TargetServiceException.class).hasMessageContaining("step createSecret")
                    .hasMessageContaining("HttpTimeoutException");
            assertThat(millis).isLessThan(3_000);
            assertThat(bench.rotator.stages(arn).get(token)).containsExactly("AWSPENDING");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static String rotateKey(WeaviateBench bench, String user) {
        try {
            var r = bench.plain.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    bench.server.baseUrl() + "/v1/users/db/" + user + "/rotate-key")).header("Authorization", "Bearer " + bench.adminKey)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            String key = (String) Json.object(r.body()).get("apikey");
            LeakCheck.sensitive(key);
            return key;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One Lambda invocation with a context whose remaining time runs down from {@code budgetMillis}. */
    static void invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, String step, String arn, String token,
            long budgetMillis) {
        String rotationToken = java.util.UUID.randomUUID().toString();
        LeakCheck.sensitive(rotationToken);
        byte[] event = EventFixtures.rotation(step, arn, token, rotationToken).getBytes(StandardCharsets.UTF_8);
        try {
            handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), new BudgetContext(budgetMillis));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Lambda context with a time budget that runs in real time. */
    static final class BudgetContext implements Context {
        private final long deadline;

        BudgetContext(long budgetMillis) {
            this.deadline = System.currentTimeMillis() + budgetMillis;
        }

        @Override public String getAwsRequestId() { return "test-request"; }
        @Override public String getLogGroupName() { return "test"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "secret-rotator-test"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:secret-rotator-test"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
