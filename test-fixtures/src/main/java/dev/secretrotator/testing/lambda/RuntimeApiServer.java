package dev.secretrotator.testing.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process AWS Lambda Runtime API (version 2018-06-01) for tests of a custom runtime: start it,
 * give the runtime {@code AWS_LAMBDA_RUNTIME_API=}{@link #address()}, {@link #enqueue} events and
 * {@link #await} what the runtime posts back.
 *
 * <p>Routes, as Lambda's (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: blocks until an event is queued, then answers 200
 *       with the event as body and the headers {@code Lambda-Runtime-Aws-Request-Id},
 *       {@code Lambda-Runtime-Deadline-Ms} (now + the deadline given at start, epoch milliseconds),
 *       {@code Lambda-Runtime-Invoked-Function-Arn} and {@code Lambda-Runtime-Trace-Id}.</li>
 *   <li>{@code POST .../invocation/{id}/response} and {@code POST .../invocation/{id}/error}: 202; 400
 *       ({@code InvalidRequestID}) for an id that was not handed out or already has a result; 413 for a
 *       response over Lambda's 6 MB.</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error}: 202; the body is kept for {@link #initErrors()}, and
 *       {@link #await} then fails at once, as Lambda stops the environment.</li>
 * </ul>
 * Listens on {@code 127.0.0.1}, a free port. Thread-safe. {@link #close()} stops it and releases a
 * runtime still waiting for its next event (the connection closes).
 */
public final class RuntimeApiServer implements AutoCloseable {
    /** The function ARN every invocation carries. */
    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:secret-rotator";
    static final String PREFIX = "/2018-06-01/runtime";
    static final int RESPONSE_LIMIT = 6 * 1024 * 1024;
    private static final Pattern RESULT = Pattern.compile(Pattern.quote(PREFIX) + "/invocation/([^/]+)/(response|error)");

    private record Queued(String requestId, byte[] event) { }

    private final BlockingQueue<Queued> events = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<InvocationResult>> results = new ConcurrentHashMap<>();
    private final List<String> initErrors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> initFailed = new CompletableFuture<>();
    private final Duration deadline;
    private final Clock clock;
    private final ExecutorService executor;
    private final HttpServer http;

    private RuntimeApiServer(Duration deadline, Clock clock) throws IOException {
        this.deadline = deadline;
        this.clock = clock;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "runtime-api-server");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(executor);
        http.createContext(PREFIX + "/", this::handle);
        http.start();
    }

    /** Starts a server whose invocations have 120 s (the function's timeout) until their deadline. */
    public static RuntimeApiServer start() {
        return start(Duration.ofMinutes(2), Clock.systemUTC());
    }

    public static RuntimeApiServer start(Duration deadline, Clock clock) {
        try {
            return new RuntimeApiServer(deadline, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("runtime API test server did not start", e);
        }
    }

    /** {@code 127.0.0.1:PORT}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + http.getAddress().getPort();
    }

    /** Queues an event (JSON text) for the next {@code invocation/next}; returns its request id. */
    public String enqueue(String event) {
        String requestId = UUID.randomUUID().toString();
        results.put(requestId, new CompletableFuture<>());
        events.add(new Queued(requestId, event.getBytes(StandardCharsets.UTF_8)));
        return requestId;
    }

    /**
     * Waits for the runtime's result of an enqueued invocation.
     *
     * @throws IllegalStateException if the runtime reported an init error, or the wait timed out
     * @throws IllegalArgumentException if the id was not returned by {@link #enqueue}
     */
    public InvocationResult await(String requestId, Duration timeout) {
        CompletableFuture<InvocationResult> result = results.get(requestId);
        if (result == null) {
            throw new IllegalArgumentException("no invocation " + requestId + " was enqueued");
        }
        try {
            Object first = CompletableFuture.anyOf(result, initFailed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first instanceof InvocationResult invocation) {
                return invocation;
            }
            throw new IllegalStateException("the runtime reported an init error: " + first);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no result for invocation " + requestId + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for invocation " + requestId, e);
        }
    }

    /** Bodies posted to {@code /runtime/init/error}, in order. */
    public List<String> initErrors() {
        return List.copyOf(initErrors);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals(PREFIX + "/invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals(PREFIX + "/init/error")) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                initErrors.add(body);
                initFailed.complete(body);
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && RESULT.matcher(path).matches()) {
                result(exchange, RESULT.matcher(path));
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"no route " + method + " " + path + "\",\"errorType\":\"NotFound\"}");
            }
        } finally {
            exchange.close();
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Queued event;
        try {
            event = events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closing: the runtime's connection drops, as when Lambda shuts the environment down
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Lambda-Runtime-Aws-Request-Id", event.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(clock.millis() + deadline.toMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(clock.millis() / 1000)
                + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24) + ";Sampled=0");
        headers.set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, event.event().length);
        exchange.getResponseBody().write(event.event());
    }

    private void result(HttpExchange exchange, Matcher matcher) throws IOException {
        matcher.matches();
        String requestId = matcher.group(1);
        byte[] body = exchange.getRequestBody().readAllBytes();
        CompletableFuture<InvocationResult> pending = results.get(requestId);
        if (pending == null || pending.isDone()) {
            reply(exchange, 400, "{\"errorMessage\":\"unknown or finished request id " + requestId + "\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        boolean response = matcher.group(2).equals("response");
        if (response && body.length > RESPONSE_LIMIT) {
            reply(exchange, 413, "{\"errorMessage\":\"response exceeds 6291456 bytes\",\"errorType\":\"RequestEntityTooLarge\"}");
            return;
        }
        Optional<String> errorType = response ? Optional.empty()
                : Optional.ofNullable(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
        pending.complete(new InvocationResult(requestId, response ? InvocationResult.Outcome.RESPONSE
                : InvocationResult.Outcome.ERROR, new String(body, StandardCharsets.UTF_8), errorType));
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
