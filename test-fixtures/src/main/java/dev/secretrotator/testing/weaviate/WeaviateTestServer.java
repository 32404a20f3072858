package dev.secretrotator.testing.weaviate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process fake of Weaviate's (1.30+) database-user REST API, for tests: {@code /v1/users/own-info},
 * {@code /v1/users/db[/{user_id}[/rotate-key|/activate|/deactivate]]} and
 * {@code /v1/authz/users/{id}/(roles[/{userType}]|assign|revoke)}, with Weaviate's status codes and bodies.
 *
 * <p>Contract:
 * <ul>
 *   <li>Listens on {@code 127.0.0.1} on a free port; {@link #baseUrl()} is {@code http://127.0.0.1:PORT}
 *       (paths start with {@code /v1}). {@link #close()} stops it.</li>
 *   <li>Auth is {@code Authorization: Bearer <apikey>}; a missing, unknown, revoked or deactivated key answers
 *       401 on every documented path. Any valid key may call {@code GET /v1/users/own-info}; management needs
 *       a root user or a role granting the action ({@code read_users}, {@code create_users},
 *       {@code update_users}, {@code delete_users}, {@code assign_and_revoke_users}), else 403.</li>
 *   <li>One key per user: rotating a key invalidates the previous one at once. Keys are 43 URL-safe
 *       characters from {@link java.security.SecureRandom}. Env users ({@code db_env_user}, including root
 *       users) cannot be rotated, deleted, activated or deactivated (422).</li>
 *   <li>Thread-safe: every state change is atomic. API keys are never logged.</li>
 * </ul>
 */
public final class WeaviateTestServer implements AutoCloseable {
    /** The user id of the root user configured by {@link #start(String)}. */
    public static final String DEFAULT_ROOT_USER = "admin";

    private final UserStore store;
    private final Router router = new Router();
    private final FaultInjector faults = new FaultInjector();
    private final AtomicLong requestCount = new AtomicLong();
    private final ExecutorService executor;
    private final HttpServer http;

    private WeaviateTestServer(UserStore store) throws IOException {
        this.store = store;
        new UserHandlers(store).register(router);
        new AuthzHandlers(store).register(router);
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        this.executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "weaviate-test-server");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts a server whose only configured user is the root user {@value #DEFAULT_ROOT_USER} with this key. */
    public static WeaviateTestServer start(String rootApiKey) {
        return builder().withRootUser(DEFAULT_ROOT_USER, rootApiKey).start();
    }

    /** A builder for a server with custom root users, env users, roles or clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The user's current key if it authenticates (user exists, is active, key not revoked), else null. */
    public String apiKeyOf(String userId) {
        return store.apiKeyOf(userId);
    }

    /** Whether this key would authenticate a request now. Does not count as a use of the key. */
    public boolean isKeyValid(String apiKey) {
        return store.isKeyValid(apiKey);
    }

    /** How many HTTP requests the server has received, whatever their outcome (faults included). */
    public long requestCount() {
        return requestCount.get();
    }

    /**
     * The next request whose method equals {@code method} (case-insensitive) and whose decoded path, e.g.
     * {@code /v1/users/db/app/rotate-key}, fully matches {@code pathRegex} is answered with {@code status}
     * (an {@code ErrorResponse} body) before authentication, changing nothing. Faults are one-shot and
     * consumed in registration order.
     */
    public void failNext(String method, String pathRegex, int status) {
        faults.add(method, pathRegex, status);
    }

    /** The clock for {@code createdAt} and {@code lastUsedAt} of users, from now on. */
    public void setClock(Clock clock) {
        store.setClock(clock);
    }

    /**
     * Creates a {@code db_user} holding {@code roles}, bypassing HTTP, and returns its key.
     *
     * @throws IllegalArgumentException if the user exists or a role is unknown
     */
    public String createDbUser(String userId, String... roles) {
        try {
            return store.create(userId, List.of(roles));
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Stops the server at once; idempotent. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            requestCount.incrementAndGet();
            byte[] body = HttpIo.readBody(exchange);
            HttpIo.write(exchange, respond(exchange, body));
        } finally {
            exchange.close();
        }
    }

    private Reply respond(HttpExchange exchange, byte[] body) {
        String method = exchange.getRequestMethod();
        OptionalInt fault = faults.take(method, exchange.getRequestURI().getPath());
        if (fault.isPresent()) {
            return Reply.error(fault.getAsInt(), "injected fault");
        }
        Router.Resolved route = router.resolve(method, exchange.getRequestURI().getRawPath());
        if (route.failure() != null) {
            return route.failure();
        }
        String principal = store.authenticate(HttpIo.bearerToken(exchange));
        if (principal == null) {
            return Reply.empty(401);
        }
        Request request = new Request(route.params(), HttpIo.query(exchange.getRequestURI().getRawQuery()),
                body, principal);
        try {
            return route.handler().handle(request);
        } catch (ApiException e) {
            return e.toReply();
        } catch (RuntimeException e) {
            return Reply.error(500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    /** Configures and starts a {@link WeaviateTestServer}. At least one root user is required. */
    public static final class Builder {
        private record EnvUser(String id, String apiKey, boolean root, List<String> roles) {
        }

        private final List<EnvUser> envUsers = new ArrayList<>();
        private final Map<String, List<String>> roles = new LinkedHashMap<>();
        private final List<String> rootNames = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** A root user (an env user holding the {@code root} role): may call every endpoint. */
        public Builder withRootUser(String userId, String apiKey) {
            envUsers.add(new EnvUser(requireText(userId), requireText(apiKey), true, List.of()));
            return this;
        }

        /**
         * User names that Weaviate's {@code AUTHORIZATION_RBAC_ROOT_USERS} lists without an env key:
         * a database user created under such a name is root (holds the {@code root} role, which
         * the API can never assign or revoke).
         */
        public Builder withRootUserNames(String... userIds) {
            for (String id : userIds) {
                rootNames.add(requireText(id));
            }
            return this;
        }

        /** A {@code db_env_user} with a fixed key and optional roles; it cannot be rotated or deleted. */
        public Builder withEnvUser(String userId, String apiKey, String... roleNames) {
            envUsers.add(new EnvUser(requireText(userId), requireText(apiKey), false, List.of(roleNames)));
            return this;
        }

        /**
         * A custom role granting Weaviate permission actions, e.g. {@code withRole("reader")} or
         * {@code withRole("rotator", "read_users", "update_users")}. Built in: root, admin, viewer.
         */
        public Builder withRole(String name, String... actions) {
            roles.put(requireText(name), List.of(actions));
            return this;
        }

        /** The initial clock (default: system UTC). */
        public Builder withClock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws IllegalStateException    without a root user
         * @throws IllegalArgumentException for duplicate users or keys, or unknown roles
         * @throws UncheckedIOException     if the port cannot be bound
         */
        public WeaviateTestServer start() {
            if (envUsers.stream().noneMatch(EnvUser::root)) {
                throw new IllegalStateException("configure at least one root user");
            }
            UserStore store = new UserStore(new RoleRegistry(roles), clock);
            store.rootNames(rootNames);
            envUsers.forEach(u -> store.addEnvUser(u.id(), u.apiKey(), u.root(), u.roles()));
            try {
                return new WeaviateTestServer(store);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Weaviate test server", e);
            }
        }

        private static String requireText(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("must not be blank");
            }
            return value;
        }
    }
}
