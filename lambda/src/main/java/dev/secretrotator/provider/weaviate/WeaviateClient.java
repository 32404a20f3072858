package dev.secretrotator.provider.weaviate;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.secretrotator.InvalidInputException;
import dev.secretrotator.RotationException;
import dev.secretrotator.TargetServiceException;
import dev.secretrotator.provider.Deadline;
import dev.secretrotator.telemetry.Redactor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The calls this provider makes to Weaviate's database-user REST API (1.30+), with the
 * management key as bearer token. Every failure becomes a {@link RotationException} whose message
 * names the call and the status, never a response body (an answer may carry a key) nor a key.
 * 401, 403, 404, 409 and 422 are {@link InvalidInputException}s (retrying will not help); other
 * statuses, timeouts and I/O errors are {@link TargetServiceException}s. Every key received is
 * registered with the redactor before it is returned. Thread-safe.
 */
final class WeaviateClient {
    private final HttpClient http;
    private final URI base;
    private final Supplier<String> managementKey;
    private final String keySource;
    private final Redactor redactor;
    private final Duration timeout;

    /**
     * @param managementKey the key of management calls, asked for at each (the first may read it)
     * @param keySource where the management key came from, for 401/403 messages
     * @param timeout the per-request timeout (connect timeout is the client's), shortened to the
     *     invocation's {@link Deadline#current()}
     */
    WeaviateClient(HttpClient http, URI base, Supplier<String> managementKey, String keySource, Redactor redactor, Duration timeout) {
        this.http = http;
        this.base = base;
        this.managementKey = managementKey;
        this.keySource = keySource;
        this.redactor = redactor;
        this.timeout = timeout;
    }

    /** {@code GET /v1/users/db/{id}?includeLastUsedTime=true}; empty when the user does not exist. */
    Optional<UserInfo> user(String id) {
        Answer a = send("GET", "/v1/users/db/" + id + "?includeLastUsedTime=true", null, managementKey.get());
        if (a.status == 404) {
            return Optional.empty();
        }
        expect(a, 200, id);
        return Optional.of(UserInfo.from(a.object(), id));
    }

    /** {@code POST /v1/users/db/{id}}: its first key; empty if the user exists already (409). */
    Optional<String> create(String id) {
        Answer a = send("POST", "/v1/users/db/" + id, Map.of(), managementKey.get());
        if (a.status == 409) {
            return Optional.empty();
        }
        expect(a, 201, id);
        return Optional.of(key(a));
    }

    /** {@code POST /v1/users/db/{id}/rotate-key}: the new key; the old one stops working at once. */
    String rotateKey(String id) {
        Answer a = send("POST", "/v1/users/db/" + id + "/rotate-key", null, managementKey.get());
        expect(a, 200, id);
        return key(a);
    }

    /** {@code POST /v1/users/db/{id}/activate}; false if it was active already (409). */
    boolean activate(String id) {
        Answer a = send("POST", "/v1/users/db/" + id + "/activate", null, managementKey.get());
        if (a.status == 409) {
            return false;
        }
        expect(a, 200, id);
        return true;
    }

    /** {@code POST /v1/users/db/{id}/deactivate}; false if it was inactive already (409). */
    boolean deactivate(String id, boolean revokeKey) {
        Answer a = send("POST", "/v1/users/db/" + id + "/deactivate", Map.of("revoke_key", revokeKey), managementKey.get());
        if (a.status == 409) {
            return false;
        }
        expect(a, 200, id);
        return true;
    }

    /** {@code POST /v1/authz/users/{id}/assign} or {@code /revoke} with {@code userType: db}. */
    void changeRoles(String id, List<String> roles, boolean assign) {
        String verb = assign ? "assign" : "revoke";
        Answer a = send("POST", "/v1/authz/users/" + id + "/" + verb, Map.of("roles", roles, "userType", "db"), managementKey.get());
        expect(a, 200, id);
    }

    /**
     * {@code GET /v1/users/own-info} with {@code key}: the user name it authenticates as, or the
     * status (0 for a timeout or I/O failure) when it does not answer 200. Never throws for
     * answers: verification decides what they mean.
     */
    OwnInfo ownInfo(String key) {
        Answer a;
        try {
            a = send("GET", "/v1/users/own-info", null, key);
        } catch (TargetServiceException e) {
            return new OwnInfo(0, Optional.empty(), e.reason());
        }
        if (a.status != 200) {
            return new OwnInfo(a.status, Optional.empty(), "HTTP " + a.status);
        }
        Object name;
        try {
            name = a.object().get("username");
        } catch (TargetServiceException e) {
            return new OwnInfo(a.status, Optional.empty(), e.reason());
        }
        if (!(name instanceof String username) || username.isEmpty()) {
            return new OwnInfo(200, Optional.empty(), "HTTP 200 without a username");
        }
        return new OwnInfo(200, Optional.of(username), "HTTP 200");
    }

    /** The answer of own-info: {@code status} 0 when there was none. */
    record OwnInfo(int status, Optional<String> username, String summary) {}

    private record Answer(String call, int status, byte[] body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            try {
                Object parsed = JSON.std.anyFrom(body);
                if (parsed instanceof Map<?, ?> map) {
                    return (Map<String, Object>) map;
                }
            } catch (IOException | RuntimeException e) {
                // fall through: reported below without quoting the body
            }
            throw new TargetServiceException(call + " answered " + status + " with a body that is not a JSON object");
        }
    }

    private Answer send(String method, String pathAndQuery, Map<String, Object> body, String bearer) {
        String call = method + " " + pathAndQuery.replaceFirst("\\?.*", "");
        Deadline.current().check("before " + call + " to " + base.getHost());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Deadline.current().cap(timeout))
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(call, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new TargetServiceException(call + " to " + base.getHost() + " failed: " + e.getClass().getSimpleName()
                    + "; Secrets Manager retries the rotation", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetServiceException(call + " to " + base.getHost() + " was interrupted", e);
        }
    }

    private void expect(Answer a, int success, String userId) {
        if (a.status == success) {
            return;
        }
        String prefix = "Weaviate at " + base.getHost() + " answered " + a.status + " to " + a.call + ": ";
        throw switch (a.status) {
            case 401 -> new InvalidInputException(prefix + "the management key (" + keySource + ") is not accepted;"
                    + " store the current key of a Weaviate user with user-management permissions there");
            case 403 -> new InvalidInputException(prefix + "the management key (" + keySource + ") lacks a permission;"
                    + " its user needs read_users, create_users, update_users and assign_and_revoke_users on users '"
                    + userId + "'");
            case 404 -> new InvalidInputException(prefix + "user '" + userId + "' (or one of its roles) does not exist");
            case 409 -> new InvalidInputException(prefix + "user '" + userId + "' is in a conflicting state;"
                    + " check it with GET /v1/users/db/" + userId);
            case 422 -> new InvalidInputException(prefix + "Weaviate refuses to change user '" + userId + "': a db_env_user"
                    + " (configured by environment variables) cannot be rotated, activated or deactivated; use a database user");
            default -> new TargetServiceException(prefix + (a.status >= 500
                    ? "a server error; Secrets Manager retries the rotation" : "unexpected; nothing was changed by this call"));
        };
    }

    private String key(Answer a) {
        Object key = a.object().get("apikey");
        if (!(key instanceof String s) || s.isEmpty()) {
            throw new TargetServiceException(a.call + " answered " + a.status + " without an \"apikey\"");
        }
        redactor.register(s);
        return s;
    }

    private static String json(Map<String, Object> body) {
        try {
            return JSON.std.asString(body);
        } catch (IOException e) {
            throw new IllegalStateException("a request body could not be written as JSON", e);
        }
    }
}
