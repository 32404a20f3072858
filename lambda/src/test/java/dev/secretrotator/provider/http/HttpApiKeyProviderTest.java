package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.provider.FixedHistory;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.SecretHistory;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks made before any request: a counting HTTP client proves nothing was sent. */
class HttpApiKeyProviderTest {
    final CountingHttpClient http = new CountingHttpClient();
    final HttpApiKeyProvider provider = new HttpApiKeyProvider(new ProfileCatalog(java.util.List.of()));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://api.vendor.example | must use https",
            "https://evil.example | is not in ROTATOR_ALLOWED_ENDPOINT_HOSTS",
            "ftp://api.vendor.example | must use https",
            "api.vendor.example | must be an absolute URL"})
    void endpointNotHttpsOrNotAllowed_isRefused_beforeAnyRequestIsSent(String endpoint, String expected) {
        // GIVEN a function that allows api.vendor.example only
        SecretValue secret = secret().with("endpoint", endpoint);

        // WHEN / THEN every step refuses it, and the HTTP client was never used
        assertThatThrownBy(() -> provider.createCredential(context(secret, Optional.empty())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(expected);
        assertThatThrownBy(() -> provider.verifyCredential(context(secret, Optional.of(secret))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(expected);
        assertThatThrownBy(() -> provider.retire(context(secret, Optional.empty())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(expected);
        assertThat(http.sent.get()).isZero();
    }

    @Test
    void profileDefaultEndpoint_mustBeOnTheAllowListToo() {
        // GIVEN a SendGrid secret without "endpoint": the profile's https://api.sendgrid.com is not allowed
        SecretValue secret = secret().with("endpoint", null);

        assertThatThrownBy(() -> provider.createCredential(context(secret, Optional.empty())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("api.sendgrid.com");
        assertThat(http.sent.get()).isZero();
    }

    @Test
    void validate_namesAMissingField_theProfileNeeds() {
        SecretValue twilio = secret().with("profile", "twilio");

        assertThatThrownBy(() -> provider.validate(twilio, RotatorConfig.defaults())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no field \"accountSid\"");
        assertThatThrownBy(() -> provider.validate(twilio.with("accountSid", "AC1").with("adminSecretArn", null), RotatorConfig.defaults()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field \"adminSecretArn\" is missing");
        assertThatThrownBy(() -> provider.validate(secret().with("keyId", null), RotatorConfig.defaults()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field \"keyId\" is missing");
        assertThatThrownBy(() -> provider.validate(secret().with("keyName", "fixed-name"), RotatorConfig.defaults()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("{versionId}");
    }

    @Test
    void perSecretVerificationSettings_overrideTheProfile_whichOverridesTheFunction() {
        RotatorConfig config = RotatorConfig.fromEnv(Map.of("ROTATOR_VERIFY_TIMEOUT", "PT30S", "ROTATOR_VERIFY_SUCCESSES", "4"));
        Profile datadog = new ProfileCatalog(java.util.List.of()).named("datadog");

        Timing profileOnly = Timing.of(secret(), datadog, config);
        Timing overridden = Timing.of(secret().with("verification", Map.of("timeout", "PT10S", "pollInterval", "PT0.5S"))
                .with("retirement", Map.of("gracePeriod", "PT2H")), datadog, config);

        assertThat(profileOnly.verifyTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(profileOnly.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(overridden.verifyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(overridden.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(overridden.consecutiveSuccesses()).isEqualTo(3);
        assertThat(overridden.retirement().gracePeriod()).isEqualTo(Duration.ofHours(2));
        assertThat(Timing.of(secret(), new ProfileCatalog(java.util.List.of()).named("sendgrid"), config).consecutiveSuccesses())
                .isEqualTo(4);
    }

    private static SecretValue secret() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("provider", "http-api-key");
        fields.put("profile", "sendgrid");
        fields.put("endpoint", "https://api.vendor.example");
        fields.put("keyId", "key-1");
        fields.put("apiKey", "SG.not-a-real-key-000000");
        fields.put("adminSecretArn", "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin");
        return SecretValue.of(fields);
    }

    private StepContext context(SecretValue current, Optional<SecretValue> pending) {
        ProviderServices services = ProviderServices.builder()
                .config(RotatorConfig.fromEnv(Map.of("ROTATOR_ALLOWED_ENDPOINT_HOSTS", "api.vendor.example")))
                .client(HttpClient.class, () -> http)
                .build();
        return new StepContext("secret", "arn:aws:secretsmanager:us-east-1:111122223333:secret:s", "v1", current, pending,
                Optional.empty(), false, NO_HISTORY, services);
    }

    static final SecretHistory NO_HISTORY = new FixedHistory(Instant.EPOCH, Optional.of(secret().with("keyId", "key-0")));

    /** Counts requests and answers none. */
    static final class CountingHttpClient extends HttpClient {
        final AtomicInteger sent = new AtomicInteger();

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
            sent.incrementAndGet();
            throw new IOException("no request may be sent in this test");
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            sent.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("no request may be sent in this test"));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> push) {
            return sendAsync(request, handler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return null;
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }
}
