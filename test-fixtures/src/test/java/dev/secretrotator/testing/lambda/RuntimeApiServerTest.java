package dev.secretrotator.testing.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuntimeApiServerTest {
    private static final Instant NOW = Instant.parse("2026-12-06T05:00:00Z");
    private final RuntimeApiServer server = RuntimeApiServer.start(Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void next_whenAnEventIsQueued_returnsItWithTheRuntimeHeaders() throws Exception {
        // GIVEN
        String requestId = server.enqueue("{\"Step\":\"createSecret\"}");

        // WHEN
        HttpResponse<String> next = get("/invocation/next");

        // THEN
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"Step\":\"createSecret\"}");
        assertThat(next.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).hasValue(requestId);
        assertThat(next.headers().firstValue("Lambda-Runtime-Deadline-Ms")).hasValue(Long.toString(NOW.toEpochMilli() + 30_000));
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn")).hasValue(RuntimeApiServer.FUNCTION_ARN);
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id")).hasValueSatisfying(t -> assertThat(t).startsWith("Root=1-"));
    }

    @Test
    void next_whenNothingIsQueued_blocksUntilAnEventArrives() throws Exception {
        // GIVEN
        CompletableFuture<HttpResponse<String>> next = http.sendAsync(request("/invocation/next").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        assertThat(next).isNotDone();

        // WHEN
        String requestId = server.enqueue("{}");

        // THEN
        assertThat(next.get().headers().firstValue("Lambda-Runtime-Aws-Request-Id")).hasValue(requestId);
    }

    @Test
    void await_whenTheRuntimePostsAResponse_returnsIt() throws Exception {
        // GIVEN
        String requestId = server.enqueue("{}");
        get("/invocation/next");

        // WHEN
        HttpResponse<String> posted = post("/invocation/" + requestId + "/response", "{\"ok\":true}", null);

        // THEN
        assertThat(posted.statusCode()).isEqualTo(202);
        InvocationResult result = server.await(requestId, Duration.ofSeconds(5));
        assertThat(result.isResponse()).isTrue();
        assertThat(result.body()).isEqualTo("{\"ok\":true}");
        assertThat(result.errorType()).isEmpty();
    }

    @Test
    void await_whenTheRuntimePostsAnError_returnsItWithTheErrorType() throws Exception {
        // GIVEN
        String requestId = server.enqueue("{}");
        get("/invocation/next");

        // WHEN
        post("/invocation/" + requestId + "/error", "{\"errorMessage\":\"boom\"}", "Runtime.Unknown");

        // THEN
        InvocationResult result = server.await(requestId, Duration.ofSeconds(5));
        assertThat(result.outcome()).isEqualTo(InvocationResult.Outcome.ERROR);
        assertThat(result.errorType()).hasValue("Runtime.Unknown");
        assertThat(result.body()).contains("boom");
    }

    @Test
    void postResult_whenTheRequestIdIsUnknownOrAlreadyAnswered_isRejected() throws Exception {
        // GIVEN
        String requestId = server.enqueue("{}");
        get("/invocation/next");
        post("/invocation/" + requestId + "/response", "{}", null);

        // WHEN / THEN
        assertThat(post("/invocation/" + requestId + "/response", "{}", null).statusCode()).isEqualTo(400);
        assertThat(post("/invocation/no-such-id/error", "{}", null).body()).contains("InvalidRequestID");
    }

    @Test
    void postResponse_whenOverSixMegabytes_isTooLarge() throws Exception {
        // GIVEN
        String requestId = server.enqueue("{}");
        get("/invocation/next");

        // WHEN
        HttpResponse<String> posted = post("/invocation/" + requestId + "/response",
                "x".repeat(RuntimeApiServer.RESPONSE_LIMIT + 1), null);

        // THEN
        assertThat(posted.statusCode()).isEqualTo(413);
    }

    @Test
    void await_whenTheRuntimeReportsAnInitError_failsAtOnce() throws Exception {
        // GIVEN
        String requestId = server.enqueue("{}");

        // WHEN
        assertThat(post("/init/error", "{\"errorMessage\":\"no handler\"}", "Runtime.NoSuchHandler").statusCode()).isEqualTo(202);

        // THEN
        assertThatThrownBy(() -> server.await(requestId, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no handler");
        assertThat(server.initErrors()).containsExactly("{\"errorMessage\":\"no handler\"}");
    }

    @Test
    void await_whenNoResultArrives_timesOutNamingTheInvocation() {
        String requestId = server.enqueue("{}");

        assertThatThrownBy(() -> server.await(requestId, Duration.ofMillis(100)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(requestId);
    }

    @Test
    void unknownRoute_answersNotFound() throws Exception {
        assertThat(get("/invocation/elsewhere").statusCode()).isEqualTo(404);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://" + server.address() + RuntimeApiServer.PREFIX + path));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String errorType) throws Exception {
        HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (errorType != null) {
            builder.header("Lambda-Runtime-Function-Error-Type", errorType);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
