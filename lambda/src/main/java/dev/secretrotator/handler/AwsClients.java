package dev.secretrotator.handler;

import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.iam.IamClients;
import dev.secretrotator.telemetry.EventBridgeEvents;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import dev.secretrotator.provider.iam.SdkIamClients;
import java.net.http.HttpClient;
import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Default clients: for providers' HTTP calls a {@code java.net.http} client that never follows
 * redirects (a redirect must not carry a key elsewhere); AWS clients with the URL-connection HTTP client (no Netty, no Apache), timeouts well under
 * the function's, and the standard AWS environment for region, credentials and endpoint
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}); IAM on its partition's endpoint for that region.
 * Each is built on first use.
 */
public final class AwsClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Read timeout of every call; providers use it as their request timeout too. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** One attempt of an AWS call (connect and read included). */
    static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(12);
    /**
     * One AWS call with the SDK's retries: below the shortest function timeout the deployment
     * allows (30 s), so a hanging endpoint fails the call, not the invocation.
     */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(25);

    private AwsClients() {}

    /** The default clients, rotation events on the {@code default} bus. */
    public static ProviderServices.Builder register(ProviderServices.Builder builder) {
        return register(builder, "default", Telemetry.stdout());
    }

    /**
     * @param eventBus the EventBridge bus for rotation events
     * @param telemetry where event failures are reported
     */
    public static ProviderServices.Builder register(ProviderServices.Builder builder, String eventBus, Telemetry telemetry) {
        builder.client(RotationEvents.class, () -> new EventBridgeEvents(
                EventBridgeClient.builder().httpClientBuilder(http()).overrideConfiguration(AwsClients::timeouts).build(),
                eventBus, telemetry));
        return builder.client(SecretsManagerClient.class, () -> SecretsManagerClient.builder()
                        .httpClientBuilder(http())
                        .overrideConfiguration(AwsClients::timeouts)
                        .build())
                .client(IamClients.class, () -> new SdkIamClients(
                        java.util.Optional.of(new DefaultAwsRegionProviderChain().getRegion()),
                        b -> b.httpClientBuilder(http()).overrideConfiguration(AwsClients::timeouts),
                        b -> b.httpClientBuilder(http()).overrideConfiguration(AwsClients::timeouts)))
                .client(HttpClient.class, () -> HttpClient.newBuilder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build());
    }

    static void timeouts(ClientOverrideConfiguration.Builder o) {
        o.apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT).apiCallTimeout(API_CALL_TIMEOUT);
    }

    static UrlConnectionHttpClient.Builder http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(READ_TIMEOUT);
    }
}
