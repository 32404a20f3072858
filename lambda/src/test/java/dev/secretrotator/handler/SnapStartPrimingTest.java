package dev.secretrotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.iam.IamClients;
import dev.secretrotator.provider.iam.SdkIamClients;
import dev.secretrotator.telemetry.EventBridgeEvents;
import dev.secretrotator.telemetry.Redactor;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue 15 item 4: SnapStart's hooks prime the function without calling anything, and leave no
 * credential and no source of randomness in the snapshot.
 */
class SnapStartPrimingTest {
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    final Telemetry telemetry = new Telemetry(new PrintStream(logs, true, StandardCharsets.UTF_8), Clock.systemUTC(), new Redactor());
    final CountingCredentials credentials = new CountingCredentials();
    final Map<Class<?>, AtomicInteger> builds = new java.util.HashMap<>();
    ServerSocket endpoint;
    URI endpointUri;

    @BeforeEach
    void listen() throws Exception {
        // a listening socket that never accepts: any connection attempt lands in its backlog
        endpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        endpointUri = URI.create("http://127.0.0.1:" + endpoint.getLocalPort());
    }

    @AfterEach
    void close() throws Exception {
        endpoint.close();
    }

    @Test
    void beforeCheckpoint_buildsEveryClient_resolvesNoCredentials_andConnectsNowhere() throws Exception {
        // GIVEN the function's graph with SDK clients that count credential lookups and point at a socket
        SnapStartPriming hooks = new SnapStartPriming(Components.of(services()).services());

        // WHEN the runtime checkpoints
        hooks.beforeCheckpoint(null);

        // THEN every client was built once, no credentials were resolved, nobody connected
        assertThat(builds.get(SecretsManagerClient.class)).hasValue(1);
        assertThat(builds.get(IamClients.class)).hasValue(1);
        assertThat(builds.get(RotationEvents.class)).hasValue(1);
        assertThat(builds.get(HttpClient.class)).hasValue(1);
        assertThat(credentials.resolved).hasValue(0);
        assertNoConnection();
        assertThat(hooks.runs()).containsExactly(1, 0);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("SnapStart priming done");
    }

    @Test
    void beforeCheckpoint_withTheLambdaClients_connectsNowhere() throws Exception {
        // GIVEN the clients Lambda builds (AwsClients), their endpoint the socket
        String region = System.getProperty("aws.region");
        String endpointUrl = System.getProperty("aws.endpointUrl");
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.endpointUrl", endpointUri.toString());
        try {
            ProviderServices services = AwsClients.register(ProviderServices.builder().telemetry(telemetry)).build();

            // WHEN
            new SnapStartPriming(Components.of(services).services()).beforeCheckpoint(null);
        } finally {
            restore("aws.region", region);
            restore("aws.endpointUrl", endpointUrl);
        }

        // THEN
        assertNoConnection();
    }

    @Test
    void beforeCheckpoint_dropsRandomnessBuiltAtInit_andBuildsNone() {
        // GIVEN initialisation drew randomness
        ProviderServices services = services();
        SecureRandom atInit = services.random();
        SnapStartPriming hooks = new SnapStartPriming(services);

        // WHEN
        hooks.beforeCheckpoint(null);

        // THEN the snapshot holds no source of randomness: the next use builds one
        assertThat(builds.get(SecureRandom.class)).hasValue(1);
        assertThat(services.random()).isNotSameAs(atInit);
        assertThat(builds.get(SecureRandom.class)).hasValue(2);
    }

    @Test
    void afterRestore_eachRestoredEnvironmentBuildsItsOwnRandomness() {
        // GIVEN a primed function whose randomness was used (as if an invocation ran before a restore)
        ProviderServices services = services();
        SnapStartPriming hooks = new SnapStartPriming(services);
        hooks.beforeCheckpoint(null);
        SecureRandom beforeRestore = services.random();

        // WHEN Lambda restores the snapshot, twice
        hooks.afterRestore(null);
        SecureRandom first = services.random();
        hooks.afterRestore(null);
        SecureRandom second = services.random();

        // THEN each restore drew from an instance created after it
        assertThat(first).isNotSameAs(beforeRestore);
        assertThat(second).isNotSameAs(first);
        assertThat(builds.get(SecureRandom.class)).hasValue(3);
        assertThat(hooks.runs()).containsExactly(1, 2);
    }

    @Test
    void register_addsTheHooksToTheContext_whichRunsThemOnCheckpointAndRestore() throws Exception {
        // GIVEN a CRaC context standing in for Lambda's
        RecordingContext context = new RecordingContext();

        // WHEN the hooks are registered and the context checkpoints and restores
        SnapStartPriming hooks = SnapStartPriming.register(Components.of(services()), context);
        context.beforeCheckpoint(null);
        context.afterRestore(null);

        // THEN
        assertThat(context.resources).containsExactly(hooks);
        assertThat(hooks.runs()).containsExactly(1, 1);
    }

    @Test
    void handler_registersHooksOnlyWhenLambdaInitialisesForASnapshot() {
        // GIVEN
        Components components = Components.of(services());

        // WHEN / THEN
        assertThat(new RotationHandler(components, Map.of(RotationHandler.INITIALIZATION_TYPE, "snap-start")).snapStartHooks())
                .isPresent();
        assertThat(new RotationHandler(components, Map.of(RotationHandler.INITIALIZATION_TYPE, "on-demand")).snapStartHooks())
                .isEmpty();
        assertThat(new RotationHandler(components).snapStartHooks()).isEmpty();
    }

    @Test
    void primedClasses_areTheFunctionsOwn_withoutTheCli() {
        // WHEN
        List<String> classes = PrimedClasses.applicationClasses();

        // THEN
        assertThat(classes).contains(RotationHandler.class.getName(), "dev.secretrotator.engine.RotationEngine",
                "dev.secretrotator.provider.iam.AwsIamProvider", "dev.secretrotator.provider.weaviate.WeaviateProvider",
                "dev.secretrotator.provider.http.HttpApiKeyProvider", "dev.secretrotator.provider.password.RandomPasswordProvider");
        assertThat(classes).noneMatch(c -> c.startsWith("dev.secretrotator.cli."));
    }

    @Test
    void beforeCheckpoint_failsLoudly_whenAClientCannotBeBuilt() {
        // GIVEN a client whose factory fails
        ProviderServices services = ProviderServices.builder().telemetry(telemetry)
                .client(HttpClient.class, () -> {
                    throw new IllegalStateException("no HTTP client here");
                }).build();

        // WHEN / THEN the snapshot is not taken half-primed
        assertThatThrownBy(() -> new SnapStartPriming(services).beforeCheckpoint(null)).hasMessageContaining("no HTTP client");
    }

    private ProviderServices services() {
        Region region = Region.US_EAST_1;
        return ProviderServices.builder().telemetry(telemetry)
                .client(SecureRandom.class, counted(SecureRandom.class, SecureRandom::new))
                .client(SecretsManagerClient.class, counted(SecretsManagerClient.class, () -> SecretsManagerClient.builder()
                        .region(region).credentialsProvider(credentials).endpointOverride(endpointUri)
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()))
                .client(IamClients.class, counted(IamClients.class, () -> new SdkIamClients(Optional.of(region),
                        b -> b.credentialsProvider(credentials).endpointOverride(endpointUri).httpClientBuilder(UrlConnectionHttpClient.builder()),
                        b -> b.credentialsProvider(credentials).endpointOverride(endpointUri).httpClientBuilder(UrlConnectionHttpClient.builder()))))
                .client(RotationEvents.class, counted(RotationEvents.class, () -> new EventBridgeEvents(EventBridgeClient.builder()
                        .region(region).credentialsProvider(credentials).endpointOverride(endpointUri)
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build(), "default", telemetry)))
                .client(HttpClient.class, counted(HttpClient.class, HttpClient::newHttpClient))
                .build();
    }

    private <T> Supplier<T> counted(Class<T> type, Supplier<T> factory) {
        AtomicInteger count = builds.computeIfAbsent(type, t -> new AtomicInteger());
        return () -> {
            count.incrementAndGet();
            return factory.get();
        };
    }

    private void assertNoConnection() throws Exception {
        endpoint.setSoTimeout(300);
        assertThatThrownBy(endpoint::accept).as("a connection reached the endpoint").isInstanceOf(SocketTimeoutException.class);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** Counts credential lookups; a lookup before the checkpoint would put the credentials in the snapshot. */
    static final class CountingCredentials implements AwsCredentialsProvider {
        final AtomicInteger resolved = new AtomicInteger();

        @Override
        public AwsCredentials resolveCredentials() {
            resolved.incrementAndGet();
            return AwsBasicCredentials.create("AKIDPRIMINGTEST", "not-a-secret");
        }
    }

    /** A CRaC context that runs its resources the way Lambda's does (checkpoint in reverse order, restore in order). */
    static final class RecordingContext extends Context<Resource> {
        final List<Resource> resources = new ArrayList<>();

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            for (int i = resources.size() - 1; i >= 0; i--) {
                Resource resource = resources.get(i);
                run(() -> resource.beforeCheckpoint(this));
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            resources.forEach(r -> run(() -> r.afterRestore(this)));
        }

        @Override
        public void register(Resource resource) {
            resources.add(resource);
        }

        private static void run(Hook hook) {
            try {
                hook.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        interface Hook {
            void run() throws Exception;
        }
    }
}
