package dev.secretrotator.testing.saas;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.Notifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.secretrotator.testing.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stateful WireMock server that plays one SaaS vendor's key API on a loopback port: keys are
 * minted, listed, used and revoked in an {@link ApiKeys} store; a new key authenticates only
 * after a propagation delay; revoked and unknown keys are refused with the vendor's status. One
 * WireMock stub matches every request and a {@link ResponseDefinitionTransformerV2} extension
 * answers it from the vendor subclass.
 *
 * <p>Faults: {@link #failNext} makes the next call of an operation end in a connection reset,
 * either before the server acts (nothing happened) or after it acted (the key was minted or
 * revoked, the caller never heard). Request bodies and headers are never printed.
 */
public abstract class SaasTestServer implements AutoCloseable {
    /** What a request does, for counting and fault injection. */
    public enum Operation { CREATE, LIST, REVOKE, VERIFY, GET_KEY, CONSUME, TOKEN, DEACTIVATE }


    /** When an injected fault strikes. */
    public enum When { BEFORE_ACTING, AFTER_ACTING }

    /**
     * One request as the vendor subclass sees it.
     *
     * @param method upper-case HTTP method
     * @param path the path without query
     * @param query decoded query parameters (last value wins)
     * @param headers header lookup (case-insensitive), null if absent
     * @param body the body as text
     */
    protected record Request(String method, String path, Map<String, String> query,
            Function<String, String> headers, String body) {
        public String header(String name) {
            return headers.apply(name);
        }

        /** The body as form parameters. */
        public Map<String, String> form() {
            return decode(body);
        }

        /** The body as a JSON object (empty if it is not one). */
        public Map<String, Object> json() {
            try {
                Object parsed = Json.parse(body);
                return parsed instanceof Map<?, ?> ? Json.object(body) : Map.of();
            } catch (RuntimeException e) {
                return Map.of();
            }
        }
    }

    /** An answer: status and JSON body (or none). */
    protected record Reply(int status, Object json) {
        public static Reply of(int status, Object json) {
            return new Reply(status, json);
        }

        public static Reply noContent() {
            return new Reply(204, null);
        }
    }

    protected final Clock clock;
    protected final ApiKeys keys;
    private final WireMockServer server;
    private final HttpClient consumerClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Operation, Queue<When>> faults = new ConcurrentHashMap<>();
    private final Map<Operation, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile Duration propagationDelay = Duration.ofMillis(500);

    protected SaasTestServer(String name, Clock clock) {
        this.clock = clock;
        this.keys = new ApiKeys(clock);
        this.server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .http2PlainDisabled(true)
                .containerThreads(24)
                .disableRequestJournal()
                .notifier(SILENT)
                .extensions(new Dispatcher(name)));
        server.start();
        server.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withStatus(404)));
        // subclasses call reset() last in their constructor, once their own fields exist
    }

    /** The base URL to put in a secret's {@code "endpoint"}. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** How long a new key is refused before it authenticates (default 500 ms). */
    public SaasTestServer propagationDelay(Duration delay) {
        this.propagationDelay = delay;
        return this;
    }

    public Duration propagationDelay() {
        return propagationDelay;
    }

    /** The next call of {@code operation} ends in a connection reset, {@code when} the server acts. */
    public void failNext(Operation operation, When when) {
        faults.computeIfAbsent(operation, o -> new ConcurrentLinkedQueue<>()).add(when);
    }

    /** How many requests of the operation arrived (consumers' calls included). */
    public int calls(Operation operation) {
        return calls.computeIfAbsent(operation, o -> new AtomicInteger()).get();
    }

    /** Forgets every key, fault and count, and makes new admin credentials. */
    public final void reset() {
        keys.clear();
        faults.clear();
        calls.clear();
        seedAdmin();
    }

    /** Keys that are not revoked (admin keys included), oldest first. */
    public List<ApiKeys.Key> activeKeys() {
        return keys.active();
    }

    /** How many requests new keys made before they had propagated (refused like a dead key). */
    public int refusedWhilePropagating() {
        return keys.refusedWhilePropagating();
    }

    public boolean isActive(String keyId) {
        return keys.active(keyId).isPresent();
    }

    public ApiKeys.Key key(String keyId) {
        return keys.all().stream().filter(k -> k.id().equals(keyId)).findFirst().orElseThrow();
    }

    /** A key made as a user would in the vendor's console: valid at once. */
    public abstract ApiKeys.Key seedKey(String name);

    /** The fields of the admin secret this vendor's profile reads. */
    public abstract Map<String, String> adminSecret();

    /** The fields beside keyId and apiKey the secret needs for this vendor (e.g. accountSid). */
    public Map<String, Object> secretFields() {
        return Map.of();
    }

    /** The vendor's status for a refused key on its verify call. */
    public int rejectedStatus() {
        return 401;
    }

    /**
     * What a consumer does with the key a secret holds: one ordinary API call (not the verify call,
     * so faults injected there do not hit consumers); its status, or -1 without an answer.
     */
    public final int consumerCall(Map<String, Object> secret) {
        HttpRequest request = consumerRequest(secret).timeout(Duration.ofSeconds(5)).build();
        try {
            return consumerClient.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Whether a consumer's call with the key the secret holds succeeds (2xx). */
    public final boolean accepts(Map<String, Object> secret) {
        int status = consumerCall(secret);
        return status >= 200 && status < 300;
    }

    /** The consumer's request (method included) with the key {@code secret} holds. */
    protected abstract HttpRequest.Builder consumerRequest(Map<String, Object> secret);

    protected HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path));
    }

    protected abstract void seedAdmin();

    /** Which operation a request is, or null for an unknown route (404). */
    protected abstract Operation route(Request request);

    /** Answers a request of a known operation. */
    protected abstract Reply handle(Operation operation, Request request);

    /**
     * A token answer to the rotator (not to a consumer): its access token must never be printed,
     * so it is registered with {@link dev.secretrotator.testing.LeakCheck}.
     */
    protected static Reply rotatorsToken(Reply reply) {
        if (reply.json() instanceof Map<?, ?> json && json.get("access_token") instanceof String token) {
            dev.secretrotator.testing.LeakCheck.sensitive(token);
        }
        return reply;
    }

    protected Duration delay() {
        return propagationDelay;
    }

    @Override
    public void close() {
        server.stop();
    }

    private ResponseDefinition answer(Request request) {
        Operation operation = route(request);
        if (operation == null) {
            return definition(Reply.of(404, Map.of("error", "no such route in the test server")));
        }
        calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        When fault = faults.getOrDefault(operation, new ConcurrentLinkedQueue<>()).poll();
        if (fault == When.BEFORE_ACTING) {
            return ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        }
        Reply reply;
        try {
            reply = handle(operation, request);
        } catch (RuntimeException e) {
            reply = Reply.of(500, Map.of("error", "test server failure: " + e.getClass().getSimpleName()));
        }
        if (fault == When.AFTER_ACTING) {
            return ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        }
        return definition(reply);
    }

    /**
     * Whether reply bodies keep members whose value is null ({@code "lastUsedAt": null}); by
     * default they are left out. Vendors whose documented bodies show nulls override this.
     */
    protected boolean writesNulls() {
        return false;
    }

    private ResponseDefinition definition(Reply reply) {
        ResponseDefinitionBuilder builder = ResponseDefinitionBuilder.responseDefinition().withStatus(reply.status());
        if (reply.json() != null) {
            builder.withHeader("Content-Type", "application/json")
                    .withBody(writesNulls() ? withNulls(reply.json()) : Json.write(reply.json()));
        }
        return builder.build();
    }

    private static String withNulls(Object json) {
        try {
            return com.fasterxml.jackson.jr.ob.JSON.std.with(com.fasterxml.jackson.jr.ob.JSON.Feature.WRITE_NULL_PROPERTIES)
                    .asString(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, String> decode(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Answers every request through the vendor subclass. */
    private final class Dispatcher implements ResponseDefinitionTransformerV2 {
        private final String name;

        Dispatcher(String name) {
            this.name = name;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var r = event.getRequest();
            String url = r.getUrl();
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            Map<String, String> query = decode(q < 0 ? "" : url.substring(q + 1));
            return answer(new Request(r.getMethod().getName().toUpperCase(java.util.Locale.ROOT),
                    URLDecoder.decode(path, StandardCharsets.UTF_8), query, r::getHeader, r.getBodyAsString()));
        }

        @Override
        public String getName() {
            return "saas-" + name;
        }
    }

    /** WireMock's own output could show requests, which carry keys: print nothing. */
    private static final Notifier SILENT = new Notifier() {
        @Override
        public void info(String message) {}

        @Override
        public void error(String message) {}

        @Override
        public void error(String message, Throwable t) {}
    };
}
