package dev.secretrotator.testing;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A {@link HttpClient} that passes requests to a real one, except those a rule fails: before the
 * request leaves (the target saw nothing) or after the target answered (it acted, the caller saw
 * a failure: a lost answer, a timeout after the fact, a crash). A failure is a status the caller
 * receives (with a small JSON error body) or an {@link IOException} it gets thrown (a timeout).
 * Every answer that did come back passes to the observers first, so a test can register keys the
 * target issued. Thread-safe.
 */
public final class FaultyHttpClient extends HttpClient {
    private record Rule(String method, Pattern path, int nth, FaultInjector.When when, int status, String timeout,
            AtomicInteger seen) {}

    private final HttpClient real;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Consumer<HttpResponse<?>>> observers = new CopyOnWriteArrayList<>();
    private final AtomicInteger struck = new AtomicInteger();

    public FaultyHttpClient(HttpClient real) {
        this.real = real;
    }

    /** The {@code nth} request (1-based, from now) whose method and path match gets {@code status}. */
    public FaultyHttpClient failWithStatus(String method, String pathRegex, int nth, FaultInjector.When when, int status) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), nth, when, status, null, new AtomicInteger()));
        return this;
    }

    /** The {@code nth} matching request fails with an {@link HttpTimeoutException}. */
    public FaultyHttpClient failWithTimeout(String method, String pathRegex, int nth, FaultInjector.When when) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), nth, when, 0, "request timed out", new AtomicInteger()));
        return this;
    }

    /** Sees every answer the real client returned (before any fault after the call). */
    public FaultyHttpClient observe(Consumer<HttpResponse<?>> observer) {
        observers.add(observer);
        return this;
    }

    /** Removes every rule that has not struck yet. */
    public void clearFaults() {
        rules.clear();
    }

    /** How many faults struck. */
    public int struck() {
        return struck.get();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Rule rule = take(request);
        if (rule != null && rule.when == FaultInjector.When.BEFORE_CALL) {
            return strike(rule, request, handler);
        }
        HttpResponse<T> response = real.send(request, handler);
        observers.forEach(o -> o.accept(response));
        return rule == null ? response : strike(rule, request, handler);
    }

    private Rule take(HttpRequest request) {
        for (Rule rule : rules) {
            if (rule.method.equalsIgnoreCase(request.method()) && rule.path.matcher(request.uri().getPath()).matches()
                    && rule.seen.incrementAndGet() == rule.nth && rules.remove(rule)) {
                struck.incrementAndGet();
                return rule;
            }
        }
        return null;
    }

    private static <T> HttpResponse<T> strike(Rule rule, HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        if (rule.timeout != null) {
            throw new HttpTimeoutException(rule.timeout);
        }
        return synthetic(request, rule.status, "{\"error\":[{\"message\":\"injected fault\"}]}", handler);
    }

    /** A response with {@code body}, decoded by {@code handler} as the real client would. */
    static <T> HttpResponse<T> synthetic(HttpRequest request, int status, String body, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        HttpHeaders headers = HttpHeaders.of(Map.of("Content-Type", List.of("application/json")), (a, b) -> true);
        HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public Version version() {
                return Version.HTTP_1_1;
            }
        });
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
        });
        subscriber.onNext(List.of(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8))));
        subscriber.onComplete();
        T decoded;
        try {
            decoded = subscriber.getBody().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("could not decode the injected answer", e);
        }
        return new Answer<>(request, status, headers, decoded);
    }

    private record Answer<T>(HttpRequest request, int statusCode, HttpHeaders headers, T body) implements HttpResponse<T> {
        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(request, handler);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> push) {
        return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return real.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return real.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return real.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return real.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return real.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return real.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return real.authenticator();
    }

    @Override
    public Version version() {
        return real.version();
    }

    @Override
    public Optional<Executor> executor() {
        return real.executor();
    }
}
