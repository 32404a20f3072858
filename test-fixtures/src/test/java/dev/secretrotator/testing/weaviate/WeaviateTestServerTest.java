package dev.secretrotator.testing.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance of {@link WeaviateTestServer} with the Weaviate users/authz OpenAPI subset (read from the
 * classpath copy {@code weaviate-users-openapi.json}) and with Weaviate's documented semantics.
 */
class WeaviateTestServerTest {
    private static final String ADMIN = "admin";
    private static final String ADMIN_KEY = "root-test-key";
    private static final String ENV_USER = "env-user";
    private static final String ENV_KEY = "env-test-key";
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");
    private static final String ASSIGN_READER = "{\"roles\":[\"reader\"],\"userType\":\"db\"}";
    private static final String SPEC_OPERATIONS = "dev.secretrotator.testing.weaviate.WeaviateTestServerTest#operations";
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private WeaviateTestServer server;
    private final AtomicInteger userSeq = new AtomicInteger();

    @BeforeEach
    void startServer() {
        server = WeaviateTestServer.builder()
                .withRootUser(ADMIN, ADMIN_KEY)
                .withEnvUser(ENV_USER, ENV_KEY)
                .withRole("reader", "read_data")
                .withRole("writer", "create_data", "update_data")
                .withRole("user-manager", "read_users", "create_users", "update_users", "delete_users",
                        "assign_and_revoke_users")
                .withClock(Clock.fixed(T0, ZoneOffset.UTC))
                .start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    static Stream<Spec.Operation> operations() {
        return Spec.get().operations().stream();
    }

    static Stream<Spec.Operation> operationsDocumenting403() {
        return operations().filter(op -> op.documents(403));
    }

    static Stream<Spec.Operation> operationsDocumentingUserNotFound() {
        return operations().filter(op -> op.documents(404) && !op.operationId().equals("createUser"));
    }

    /** Every path and method of the spec, driven from the spec itself. */
    @Nested
    class SpecConformance {
        @Test
        void specResourceIsTheSharedReferenceWhenTheSharedFolderExists() throws IOException {
            // given the shared reference beside the repository (absent in a clean clone)
            Path shared = Path.of("..", "..", "shared", "reference", "weaviate-users-openapi.json");
            assumeTrue(Files.exists(shared), "shared reference not present");
            // when both copies are read
            byte[] copy;
            try (InputStream in = Spec.class.getResourceAsStream("/weaviate-users-openapi.json")) {
                copy = Objects.requireNonNull(in).readAllBytes();
            }
            // then the classpath copy has not drifted
            assertThat(copy).isEqualTo(Files.readAllBytes(shared));
        }

        @Test
        void specCoversAllTwelveUserAndAuthzOperations() {
            // given the spec subset
            // when its operations are listed
            List<Spec.Operation> ops = Spec.get().operations();
            // then every operation the server is meant to implement is documented under /v1
            assertThat(Spec.get().basePath()).isEqualTo("/v1");
            assertThat(ops).extracting(Spec.Operation::operationId).containsExactlyInAnyOrder(
                    "getOwnInfo", "listAllUsers", "getUserInfo", "createUser", "deleteUser", "rotateUserApiKey",
                    "activateUser", "deactivateUser", "getRolesForUserDeprecated", "getRolesForUser",
                    "assignRoleToUser", "revokeRoleFromUser");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(SPEC_OPERATIONS)
        void everyDocumentedOperationIsRoutedAndAnswersADocumentedStatus(Spec.Operation op) {
            // given an admin and a user id that does not exist
            String path = concretePath(op, "no-such-user");
            // when the documented method and path are called
            Response response = call(op.method(), path, ADMIN_KEY, op.requiresBody() ? ASSIGN_READER : null);
            // then the server routes it (no go-swagger "no route"/"method not allowed") and the answer is documented
            assertThat(response.isNoRoute()).as("routed: %s %s -> %s", op.method(), path, response).isFalse();
            assertConforms(op, response);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(SPEC_OPERATIONS)
        void everyOperationAnswersItsSuccessStatusWithTheDocumentedShape(Spec.Operation op) {
            // given a prepared user so the operation can succeed
            Call call = successCall(op);
            // when the operation is called by the root user with every boolean query flag on
            Response response = call(call.method(), call.path(), ADMIN_KEY, call.body());
            // then the lowest documented 2xx comes back with a body matching the documented schema
            assertThat(response.status()).as("%s -> %s", op, response).isEqualTo(op.successStatus());
            assertConforms(op, response);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(SPEC_OPERATIONS)
        void everyOperationRejectsMissingUnknownOrNonBearerCredentialsWith401(Spec.Operation op) {
            // given an existing user to address
            String user = newUserId();
            server.createDbUser(user, "reader");
            String path = concretePath(op, user);
            String body = op.requiresBody() ? ASSIGN_READER : null;
            // when called without a key, with an unknown key, and with a non-Bearer scheme
            List<Response> responses = List.of(call(op.method(), path, null, body),
                    call(op.method(), path, "not-a-real-key", body),
                    callWithAuthorization(op.method(), path, "Basic " + ADMIN_KEY, body));
            // then each is a documented 401 and the user is untouched
            for (Response response : responses) {
                assertThat(response.status()).as("%s -> %s", op, response).isEqualTo(401);
                assertConforms(op, response);
            }
            assertThat(server.apiKeyOf(user)).isNotNull();
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(SPEC_OPERATIONS + "Documenting403")
        void everyManagementOperationForbidsAPlainDbUserWith403(Spec.Operation op) {
            // given a plain db user (role without user permissions) and another user
            String plainKey = server.createDbUser(newUserId(), "reader");
            String target = newUserId();
            server.createDbUser(target, "reader");
            // when the plain user manages the other user
            Response response = call(op.method(), concretePath(op, target), plainKey,
                    op.requiresBody() ? ASSIGN_READER : null);
            // then it is forbidden with an ErrorResponse, and the target keeps its key and roles
            assertThat(response.status()).as("%s -> %s", op, response).isEqualTo(403);
            assertConforms(op, response);
            assertThat(server.apiKeyOf(target)).isNotNull();
            assertThat(roleNames(call("GET", "/v1/authz/users/" + target + "/roles/db", ADMIN_KEY, null)))
                    .containsExactly("reader");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource(SPEC_OPERATIONS + "DocumentingUserNotFound")
        void everyOperationDocumenting404AnswersItForAnUnknownUser(Spec.Operation op) {
            // given a user id nobody created
            String path = concretePath(op, "ghost");
            // when the root user addresses it
            Response response = call(op.method(), path, ADMIN_KEY, op.requiresBody() ? ASSIGN_READER : null);
            // then 404 with the documented body (empty, or ErrorResponse where the spec says so)
            assertThat(response.status()).as("%s -> %s", op, response).isEqualTo(404);
            assertConforms(op, response);
        }

        @Test
        void unknownPathAnswers404AndWrongMethodAnswers405LikeGoSwagger() {
            // given a running server
            // when an undocumented path and a documented path with an undocumented method are called
            Response noPath = call("GET", "/v1/users/nothing-here", ADMIN_KEY, null);
            Response wrongMethod = call("PUT", "/v1/users/db/someone", ADMIN_KEY, null);
            // then both answer go-swagger's {"code","message"} body
            assertThat(noPath.status()).isEqualTo(404);
            assertThat(noPath.object()).containsEntry("code", 404).containsKey("message");
            assertThat(wrongMethod.status()).isEqualTo(405);
            assertThat(wrongMethod.isNoRoute()).isTrue();
        }
    }

    /** Bearer keys, own-info, and who may manage users. */
    @Nested
    class Authentication {
        @Test
        void ownInfoIsAllowedForAnyValidKeyAndReturnsUsernameAndFullRoles() {
            // given a plain db user holding "reader"
            String user = newUserId();
            String key = server.createDbUser(user, "reader");
            // when it asks who it is
            Response response = call("GET", "/v1/users/own-info", key, null);
            // then its name and its roles (with permissions) come back
            assertConforms(op("GET", "/users/own-info"), response);
            assertThat(response.object()).containsEntry("username", user);
            assertThat(response.object().get("roles")).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement()
                    .isEqualTo(Map.of("name", "reader", "permissions", List.of(Map.of("action", "read_data"))));
        }

        @Test
        void bearerSchemeIsCaseInsensitiveAndRootUserHoldsTheRootRole() {
            // given the root user's key
            // when sent with a lower-case scheme
            Response response = callWithAuthorization("GET", "/v1/users/own-info", "bearer " + ADMIN_KEY, null);
            // then it authenticates as the root user holding "root"
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.object()).containsEntry("username", ADMIN);
            assertThat(roleNames(response)).containsExactly("root");
        }

        @Test
        void aRoleGrantingUserActionsAllowsManagementWithoutRoot() {
            // given a db user holding the custom "user-manager" role, and a target user
            String managerKey = server.createDbUser(newUserId(), "user-manager");
            String target = newUserId();
            String oldKey = server.createDbUser(target);
            // when the manager rotates the target's key and assigns it a role
            Response rotated = call("POST", "/v1/users/db/" + target + "/rotate-key", managerKey, null);
            Response assigned = call("POST", "/v1/authz/users/" + target + "/assign", managerKey, ASSIGN_READER);
            // then both succeed
            assertThat(rotated.status()).isEqualTo(200);
            assertThat(assigned.status()).isEqualTo(200);
            assertThat(server.isKeyValid(oldKey)).isFalse();
        }
    }

    /** Create, rotate, deactivate/activate and delete: one key per user. */
    @Nested
    class KeyLifecycle {
        @Test
        void createUserReturnsARandomUrlSafeKeyOf32OrMoreCharacters() {
            // given two new user names
            // when both are created over HTTP
            Response first = call("POST", "/v1/users/db/" + newUserId(), ADMIN_KEY, null);
            Response second = call("POST", "/v1/users/db/" + newUserId(), ADMIN_KEY, "{}");
            // then each gets a distinct URL-safe key of at least 32 characters
            String a = (String) first.object().get("apikey");
            String b = (String) second.object().get("apikey");
            assertThat(List.of(a, b)).allSatisfy(k -> assertThat(k).matches("[A-Za-z0-9_-]{32,}"));
            assertThat(a).isNotEqualTo(b);
        }

        @Test
        void createUserAnswers409ForExistingDbOrEnvUserAnd422ForAnInvalidName() {
            // given an existing db user
            String user = newUserId();
            server.createDbUser(user);
            Spec.Operation create = op("POST", "/users/db/{user_id}");
            // when the user, the env user and an invalid name are created
            Response dbClash = call("POST", "/v1/users/db/" + user, ADMIN_KEY, null);
            Response envClash = call("POST", "/v1/users/db/" + ENV_USER, ADMIN_KEY, null);
            Response invalid = call("POST", "/v1/users/db/9starts-with-digit", ADMIN_KEY, null);
            // then conflicts are 409 and the bad name 422, all with ErrorResponse bodies
            assertThat(List.of(dbClash.status(), envClash.status(), invalid.status())).containsExactly(409, 409, 422);
            List.of(dbClash, envClash, invalid).forEach(r -> assertConforms(create, r));
        }

        @Test
        void createUserRejectsAMalformedBodyWith400AndANonObjectBodyWith422() {
            // given a new user name
            String user = newUserId();
            // when the body is broken JSON, then a JSON array
            Response malformed = call("POST", "/v1/users/db/" + user, ADMIN_KEY, "{not json");
            Response array = call("POST", "/v1/users/db/" + user, ADMIN_KEY, "[]");
            // then 400 and 422, and nothing was created
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(array.status()).isEqualTo(422);
            assertConforms(op("POST", "/users/db/{user_id}"), malformed);
            assertThat(server.apiKeyOf(user)).isNull();
        }

        @Test
        void rotateKeyInvalidatesTheOldKeyImmediately() {
            // given a user with a working key
            String user = newUserId();
            String oldKey = server.createDbUser(user);
            assertThat(ownInfo(oldKey).status()).isEqualTo(200);
            // when its key is rotated
            Response rotated = call("POST", "/v1/users/db/" + user + "/rotate-key", ADMIN_KEY, null);
            String newKey = (String) rotated.object().get("apikey");
            // then the very next request with the old key is 401 and the new key works
            assertThat(ownInfo(oldKey).status()).isEqualTo(401);
            assertThat(ownInfo(newKey).status()).isEqualTo(200);
            assertThat(newKey).isNotEqualTo(oldKey).matches("[A-Za-z0-9_-]{32,}");
            assertThat(server.apiKeyOf(user)).isEqualTo(newKey);
        }

        @Test
        void deactivateBlocksTheKeyAndActivateRestoresIt() {
            // given a user with a working key
            String user = newUserId();
            String key = server.createDbUser(user);
            // when deactivated (no body), deactivated again, activated, activated again
            Response deactivated = call("POST", "/v1/users/db/" + user + "/deactivate", ADMIN_KEY, null);
            int whileInactive = ownInfo(key).status();
            Response again = call("POST", "/v1/users/db/" + user + "/deactivate", ADMIN_KEY, null);
            Response activated = call("POST", "/v1/users/db/" + user + "/activate", ADMIN_KEY, null);
            Response activeAgain = call("POST", "/v1/users/db/" + user + "/activate", ADMIN_KEY, null);
            // then the key is 401 while inactive, works again after activation, and repeats are 409
            assertThat(deactivated.status()).isEqualTo(200);
            assertThat(whileInactive).isEqualTo(401);
            assertThat(again.status()).isEqualTo(409);
            assertThat(activated.status()).isEqualTo(200);
            assertThat(activeAgain.status()).isEqualTo(409);
            assertConforms(op("POST", "/users/db/{user_id}/deactivate"), again);
            assertConforms(op("POST", "/users/db/{user_id}/activate"), activeAgain);
            assertThat(ownInfo(key).status()).isEqualTo(200);
            assertThat(userInfo(user, false)).containsEntry("active", true);
        }

        @Test
        void deactivateWithRevokeKeyDestroysTheKeyUntilRotated() {
            // given a user with a working key
            String user = newUserId();
            String key = server.createDbUser(user);
            // when deactivated with revoke_key and then activated
            Response deactivated = call("POST", "/v1/users/db/" + user + "/deactivate", ADMIN_KEY,
                    "{\"revoke_key\": true}");
            assertThat(userInfo(user, false)).containsEntry("active", false);
            call("POST", "/v1/users/db/" + user + "/activate", ADMIN_KEY, null);
            // then the old key stays dead; only a rotate-key yields a working key
            assertThat(deactivated.status()).isEqualTo(200);
            assertThat(ownInfo(key).status()).isEqualTo(401);
            assertThat(server.isKeyValid(key)).isFalse();
            assertThat(server.apiKeyOf(user)).isNull();
            String newKey = (String) call("POST", "/v1/users/db/" + user + "/rotate-key", ADMIN_KEY, null)
                    .object().get("apikey");
            assertThat(ownInfo(newKey).status()).isEqualTo(200);
        }

        @Test
        void deactivateRejectsMalformedBodyWith400NonBooleanRevokeKeyWith422AndSelfWith422() {
            // given a user, and a manager who is a db user
            String user = newUserId();
            String key = server.createDbUser(user);
            String manager = newUserId();
            String managerKey = server.createDbUser(manager, "user-manager");
            Spec.Operation deactivate = op("POST", "/users/db/{user_id}/deactivate");
            // when deactivating with a broken body, a string revoke_key, and the manager itself
            Response malformed = call("POST", "/v1/users/db/" + user + "/deactivate", ADMIN_KEY, "{\"revoke_key\":");
            Response wrongType = call("POST", "/v1/users/db/" + user + "/deactivate", ADMIN_KEY, "{\"revoke_key\":\"yes\"}");
            Response self = call("POST", "/v1/users/db/" + manager + "/deactivate", managerKey, null);
            // then 400, 422, 422 with ErrorResponse bodies, and nothing changed
            assertThat(List.of(malformed.status(), wrongType.status(), self.status())).containsExactly(400, 422, 422);
            List.of(malformed, wrongType, self).forEach(r -> assertConforms(deactivate, r));
            assertThat(server.isKeyValid(key)).isTrue();
            assertThat(server.isKeyValid(managerKey)).isTrue();
        }

        @Test
        void deleteUserAnswers204InvalidatesTheKeyAndFreesTheName() {
            // given a user holding a role
            String user = newUserId();
            String key = server.createDbUser(user, "reader");
            // when deleted
            Response deleted = call("DELETE", "/v1/users/db/" + user, ADMIN_KEY, null);
            // then 204 with no body, the key is dead, the user is gone, and the name can be reused without roles
            assertThat(deleted.status()).isEqualTo(204);
            assertThat(deleted.body()).isEmpty();
            assertThat(ownInfo(key).status()).isEqualTo(401);
            assertThat(call("GET", "/v1/users/db/" + user, ADMIN_KEY, null).status()).isEqualTo(404);
            assertThat(call("POST", "/v1/users/db/" + user, ADMIN_KEY, null).status()).isEqualTo(201);
            assertThat(userInfo(user, false).get("roles")).asInstanceOf(InstanceOfAssertFactories.LIST).isEmpty();
        }

        @Test
        void deleteOwnUserAnswers422() {
            // given a db user allowed to delete users
            String manager = newUserId();
            String key = server.createDbUser(manager, "user-manager");
            // when it deletes itself
            Response response = call("DELETE", "/v1/users/db/" + manager, key, null);
            // then 422 with an ErrorResponse, and it still exists
            assertThat(response.status()).isEqualTo(422);
            assertConforms(op("DELETE", "/users/db/{user_id}"), response);
            assertThat(server.isKeyValid(key)).isTrue();
        }
    }

    /** Users configured at construction ({@code db_env_user}). */
    @Nested
    class EnvUsers {
        @Test
        void envUserCannotBeRotatedDeletedDeactivatedOrActivated() {
            // given the configured db_env_user
            // when each user-changing operation targets it
            Map<Spec.Operation, Response> responses = Map.of(
                    op("POST", "/users/db/{user_id}/rotate-key"), call("POST", "/v1/users/db/" + ENV_USER + "/rotate-key", ADMIN_KEY, null),
                    op("DELETE", "/users/db/{user_id}"), call("DELETE", "/v1/users/db/" + ENV_USER, ADMIN_KEY, null),
                    op("POST", "/users/db/{user_id}/deactivate"), call("POST", "/v1/users/db/" + ENV_USER + "/deactivate", ADMIN_KEY, null),
                    op("POST", "/users/db/{user_id}/activate"), call("POST", "/v1/users/db/" + ENV_USER + "/activate", ADMIN_KEY, null));
            // then each is 422 with an ErrorResponse message, and the env key still works
            responses.forEach((operation, response) -> {
                assertThat(response.status()).as("%s", operation).isEqualTo(422);
                assertConforms(operation, response);
                assertThat(errorMessage(response)).contains(ENV_USER);
            });
            assertThat(ownInfo(ENV_KEY).object()).containsEntry("username", ENV_USER);
        }

        @Test
        void userInfoAndListReportDbUserTypeForEachKindOfUser() {
            // given a db user next to the env and root users
            String user = newUserId();
            server.createDbUser(user);
            // when the users are read and listed
            Map<String, Object> env = userInfo(ENV_USER, false);
            Response list = call("GET", "/v1/users/db", ADMIN_KEY, null);
            // then env users are db_env_user, API-created users db_user
            assertThat(env).containsEntry("dbUserType", "db_env_user").containsEntry("active", true);
            assertConforms(op("GET", "/users/db"), list);
            Map<Object, Object> types = list.array().stream().map(o -> (Map<?, ?>) o)
                    .collect(Collectors.toMap(m -> m.get("userId"), m -> m.get("dbUserType")));
            assertThat(types).containsEntry(user, "db_user").containsEntry(ENV_USER, "db_env_user")
                    .containsEntry(ADMIN, "db_env_user");
        }
    }

    /** {@code createdAt} and {@code lastUsedAt} under a controlled clock. */
    @Nested
    class LastUsedTimestamps {
        @Test
        void lastUsedAtMovesEachTimeTheKeyAuthenticatesARequest() {
            // given a user created at T0 whose key was never used
            String user = newUserId();
            String key = server.createDbUser(user);
            assertThat(userInfo(user, true)).containsEntry("createdAt", "2025-01-02T03:04:05.678Z")
                    .containsEntry("lastUsedAt", null);
            // when the key is used at T1 and again at T2
            server.setClock(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
            ownInfo(key);
            Object afterFirstUse = userInfo(user, true).get("lastUsedAt");
            server.setClock(Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
            call("GET", "/v1/users/db/" + user, key, null);
            // then lastUsedAt follows each use (even a forbidden one) and is hidden without the flag
            assertThat(afterFirstUse).isEqualTo("2025-01-02T03:05:05.678Z");
            assertThat(userInfo(user, true)).containsEntry("lastUsedAt", "2025-01-02T04:04:05.678Z");
            assertThat(userInfo(user, false)).doesNotContainKey("lastUsedAt");
            assertConforms(op("GET", "/users/db/{user_id}"), call("GET", "/v1/users/db/" + user
                    + "?includeLastUsedTime=true", ADMIN_KEY, null));
        }

        @Test
        void nonBooleanQueryFlagAnswers422() {
            // given a user
            String user = newUserId();
            server.createDbUser(user);
            // when includeLastUsedTime is not a boolean
            Response response = call("GET", "/v1/users/db/" + user + "?includeLastUsedTime=maybe", ADMIN_KEY, null);
            // then 422 with an ErrorResponse
            assertThat(response.status()).isEqualTo(422);
            assertConforms(op("GET", "/users/db/{user_id}"), response);
        }
    }

    /** Reading, assigning and revoking roles. */
    @Nested
    class Roles {
        @Test
        void assignedRolesAreListedEverywhereAndRevokeRemovesThem() {
            // given a user without roles
            String user = newUserId();
            server.createDbUser(user);
            // when "reader" and "writer" are assigned, then "reader" revoked
            Response assigned = call("POST", "/v1/authz/users/" + user + "/assign", ADMIN_KEY,
                    "{\"roles\":[\"writer\",\"reader\"],\"userType\":\"db\"}");
            Response listed = call("GET", "/v1/authz/users/" + user + "/roles/db", ADMIN_KEY, null);
            Response full = call("GET", "/v1/authz/users/" + user + "/roles/db?includeFullRoles=true", ADMIN_KEY, null);
            Response revoked = call("POST", "/v1/authz/users/" + user + "/revoke", ADMIN_KEY, ASSIGN_READER);
            // then the roles show up sorted (names only unless includeFullRoles) and the revoke takes effect
            assertThat(assigned.status()).isEqualTo(200);
            assertThat(listed.array()).containsExactly(Map.of("name", "reader"), Map.of("name", "writer"));
            assertConforms(op("GET", "/authz/users/{id}/roles/{userType}"), full);
            assertThat(full.array()).first().isEqualTo(Map.of("name", "reader",
                    "permissions", List.of(Map.of("action", "read_data"))));
            assertThat(revoked.status()).isEqualTo(200);
            assertThat(userInfo(user, false).get("roles")).isEqualTo(List.of("writer"));
            assertThat(roleNames(call("GET", "/v1/authz/users/" + user + "/roles", ADMIN_KEY, null)))
                    .containsExactly("writer");
        }

        @Test
        void assignRejectsUnknownRoleWith404RootRoleWith403AndBadBodiesWith400() {
            // given a user holding nothing
            String user = newUserId();
            server.createDbUser(user);
            String path = "/v1/authz/users/" + user + "/assign";
            // when assigning an unknown role, the root role, and malformed bodies
            Response unknown = call("POST", path, ADMIN_KEY, "{\"roles\":[\"no-such-role\"],\"userType\":\"db\"}");
            Response root = call("POST", path, ADMIN_KEY, "{\"roles\":[\"root\"],\"userType\":\"db\"}");
            List<Response> bad = Stream.of(null, "{oops", "[]", "{\"roles\":[]}", "{\"roles\":[\" \"]}",
                    "{\"roles\":\"reader\"}", "{\"roles\":[\"reader\"],\"userType\":\"ldap\"}")
                    .map(body -> call("POST", path, ADMIN_KEY, body)).collect(Collectors.toList());
            // then 404, 403, and 400 for each bad body, all ErrorResponses, and no role was assigned
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(root.status()).isEqualTo(403);
            assertThat(bad).extracting(Response::status).containsOnly(400);
            Spec.Operation assign = op("POST", "/authz/users/{id}/assign");
            Stream.concat(Stream.of(unknown, root), bad.stream()).forEach(r -> assertConforms(assign, r));
            assertThat(userInfo(user, false).get("roles")).asInstanceOf(InstanceOfAssertFactories.LIST).isEmpty();
        }

        @Test
        void ownRolesAreReadableWithoutPermissionButOthersAreNot() {
            // given a plain user and another user
            String user = newUserId();
            String key = server.createDbUser(user, "reader");
            // when it reads its own roles and another user's
            Response own = call("GET", "/v1/authz/users/" + user + "/roles/db", key, null);
            Response other = call("GET", "/v1/authz/users/" + ADMIN + "/roles/db", key, null);
            Response badType = call("GET", "/v1/authz/users/" + user + "/roles/ldap", ADMIN_KEY, null);
            // then its own roles come back, others' are forbidden, an unknown user type is 400
            assertThat(roleNames(own)).containsExactly("reader");
            assertThat(other.status()).isEqualTo(403);
            assertThat(badType.status()).isEqualTo(400);
            assertConforms(op("GET", "/authz/users/{id}/roles/{userType}"), badType);
        }
    }

    /** The public hooks other tests use. */
    @Nested
    class TestHooks {
        @Test
        void failNextAnswersTheInjectedStatusOnceAndChangesNothing() {
            // given a user and a fault on its rotate-key
            String user = newUserId();
            String key = server.createDbUser(user);
            server.failNext("post", "/v1/users/db/[^/]+/rotate-key", 503);
            long before = server.requestCount();
            // when an unrelated request, then the matching one, then the matching one again are sent
            Response unrelated = ownInfo(key);
            Response failed = call("POST", "/v1/users/db/" + user + "/rotate-key", ADMIN_KEY, null);
            boolean keyStillValid = server.isKeyValid(key);
            Response retried = call("POST", "/v1/users/db/" + user + "/rotate-key", ADMIN_KEY, null);
            // then only the first matching request fails, with an ErrorResponse, without rotating anything
            assertThat(unrelated.status()).isEqualTo(200);
            assertThat(failed.status()).isEqualTo(503);
            assertThat(failed.object()).containsKey("error");
            assertThat(keyStillValid).isTrue();
            assertThat(retried.status()).isEqualTo(200);
            assertThat(server.isKeyValid(key)).isFalse();
            assertThat(server.requestCount()).isEqualTo(before + 3);
        }

        @Test
        void failNextDoesNotAuthenticateSoLastUsedAtStaysPut() {
            // given a user whose key was never used, and a fault on own-info
            String user = newUserId();
            String key = server.createDbUser(user);
            server.failNext("GET", "/v1/users/own-info", 500);
            // when the key calls own-info
            Response response = ownInfo(key);
            // then the injected 500 comes back and the key was not recorded as used
            assertThat(response.status()).isEqualTo(500);
            assertThat(userInfo(user, true)).containsEntry("lastUsedAt", null);
        }

        @Test
        void hooksExposeBaseUrlKeysAndSeededUsers() {
            // given a user seeded with roles through the hook
            String user = newUserId();
            String key = server.createDbUser(user, "reader", "writer");
            // when the hooks are queried
            // then they describe the server's state
            assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(server.apiKeyOf(user)).isEqualTo(key);
            assertThat(server.apiKeyOf("nobody")).isNull();
            assertThat(server.isKeyValid(key)).isTrue();
            assertThat(server.isKeyValid("bogus")).isFalse();
            assertThat(userInfo(user, false).get("roles")).isEqualTo(List.of("reader", "writer"));
            assertThatThrownBy(() -> server.createDbUser(user)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.createDbUser(newUserId(), "no-such-role"))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void startWithRootKeyConfiguresTheAdminUserAndCloseStopsListening() {
            // given a server started with the shortcut
            WeaviateTestServer other = WeaviateTestServer.start("shortcut-key");
            String baseUrl = other.baseUrl();
            // when the admin key is used, then the server is closed
            Response response = send(baseUrl, "GET", "/v1/users/own-info", "Bearer shortcut-key", null);
            other.close();
            // then the admin was "admin", and a closed server refuses connections
            assertThat(response.object()).containsEntry("username", WeaviateTestServer.DEFAULT_ROOT_USER);
            assertThatThrownBy(() -> send(baseUrl, "GET", "/v1/users/own-info", null, null))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> WeaviateTestServer.builder().withEnvUser("u", "k").start())
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /** Consumer fleets calling from several threads. */
    @Nested
    class Concurrency {
        @Test
        void concurrentRotationsLeaveExactlyOneValidKeyPerUser() throws Exception {
            // given one user shared by eight threads (each thread also creates its own user)
            String shared = newUserId();
            server.createDbUser(shared);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Callable<List<String>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> rotateRepeatedly(shared));
            }
            // when each thread rotates its own user and the shared user ten times, checking keys as it goes
            List<String> sharedKeys = new ArrayList<>();
            for (Future<List<String>> future : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                sharedKeys.addAll(future.get());
            }
            pool.shutdown();
            // then every shared-user key issued is distinct and only the last one is still valid
            assertThat(new HashSet<>(sharedKeys)).hasSize(80);
            assertThat(sharedKeys.stream().filter(server::isKeyValid)).containsExactly(server.apiKeyOf(shared));
        }

        private List<String> rotateRepeatedly(String shared) {
            String own = newUserId();
            String ownKey = server.createDbUser(own);
            List<String> sharedKeys = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String next = (String) call("POST", "/v1/users/db/" + own + "/rotate-key", ADMIN_KEY, null)
                        .object().get("apikey");
                assertThat(ownInfo(ownKey).status()).isEqualTo(401);
                assertThat(ownInfo(next).status()).isEqualTo(200);
                ownKey = next;
                sharedKeys.add((String) call("POST", "/v1/users/db/" + shared + "/rotate-key", ADMIN_KEY, null)
                        .object().get("apikey"));
            }
            assertThat(server.apiKeyOf(own)).isEqualTo(ownKey);
            return sharedKeys;
        }
    }

    // ---------------------------------------------------------------- helpers

    private record Call(String method, String path, String body) {
    }

    private record Response(int status, String body, String contentType) {
        Object json() {
            try {
                return JSON.std.anyFrom(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            return (Map<String, Object>) json();
        }

        @SuppressWarnings("unchecked")
        List<Object> array() {
            return (List<Object>) json();
        }

        boolean isNoRoute() {
            return status == 405 || (status == 404 && body.contains("\"code\":404"));
        }
    }

    private Call successCall(Spec.Operation op) {
        String user = newUserId();
        if (!op.operationId().equals("createUser")) {
            server.createDbUser(user, "reader");
        }
        if (op.operationId().equals("activateUser")) {
            assertThat(call("POST", "/v1/users/db/" + user + "/deactivate", ADMIN_KEY, null).status()).isEqualTo(200);
        }
        String body = switch (op.operationId()) {
            case "assignRoleToUser" -> "{\"roles\":[\"writer\"],\"userType\":\"db\"}";
            case "revokeRoleFromUser" -> ASSIGN_READER;
            case "deactivateUser" -> "{\"revoke_key\": false}";
            default -> null;
        };
        String query = op.booleanQueryParams().stream().map(p -> p + "=true").collect(Collectors.joining("&"));
        return new Call(op.method(), concretePath(op, user) + (query.isEmpty() ? "" : "?" + query), body);
    }

    private static String concretePath(Spec.Operation op, String user) {
        return Spec.get().basePath()
                + op.path().replace("{user_id}", user).replace("{id}", user).replace("{userType}", "db");
    }

    private String newUserId() {
        return "user-" + userSeq.incrementAndGet();
    }

    private Response ownInfo(String key) {
        return call("GET", "/v1/users/own-info", key, null);
    }

    private Map<String, Object> userInfo(String user, boolean includeLastUsed) {
        Response response = call("GET", "/v1/users/db/" + user + "?includeLastUsedTime=" + includeLastUsed,
                ADMIN_KEY, null);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.object();
    }

    private static List<Object> roleNames(Response response) {
        Object roles = response.json() instanceof Map ? response.object().get("roles") : response.json();
        return ((List<?>) roles).stream().map(r -> ((Map<?, ?>) r).get("name")).collect(Collectors.toList());
    }

    private static String errorMessage(Response response) {
        List<?> errors = (List<?>) response.object().get("error");
        return (String) ((Map<?, ?>) errors.get(0)).get("message");
    }

    private static Spec.Operation op(String method, String path) {
        return Spec.get().operation(method, path);
    }

    private Response call(String method, String path, String apiKey, String body) {
        return callWithAuthorization(method, path, apiKey == null ? null : "Bearer " + apiKey, body);
    }

    private Response callWithAuthorization(String method, String path, String authorization, String body) {
        return send(server.baseUrl(), method, path, authorization, body);
    }

    private static Response send(String baseUrl, String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts the status is documented for the operation and the body matches its schema (or is empty). */
    private static void assertConforms(Spec.Operation op, Response response) {
        assertThat(op.documents(response.status()))
                .as("%s documents status %s (%s)", op, response.status(), response.body()).isTrue();
        Map<String, Object> schema = op.schemaFor(response.status());
        if (schema == null) {
            assertThat(response.body()).as("%s %s has no documented body", op, response.status()).isEmpty();
            return;
        }
        assertThat(response.contentType()).startsWith("application/json");
        List<String> errors = new ArrayList<>();
        Spec.get().validate(response.json(), schema, "$", errors);
        assertThat(errors).as("%s %s body %s", op, response.status(), response.body()).isEmpty();
    }

    /** The OpenAPI (Swagger 2) subset, read from the classpath, with a minimal JSON-schema validator. */
    static final class Spec {
        private static Spec instance;

        /** One documented operation. */
        record Operation(String method, String path, String operationId, Map<String, Object> responses,
                         List<Map<String, Object>> parameters) {
            boolean documents(int status) {
                return responses.containsKey(String.valueOf(status));
            }

            int successStatus() {
                return responses.keySet().stream().mapToInt(Integer::parseInt).filter(s -> s < 300).min()
                        .orElseThrow();
            }

            @SuppressWarnings("unchecked")
            Map<String, Object> schemaFor(int status) {
                Map<String, Object> response = (Map<String, Object>) responses.get(String.valueOf(status));
                return response == null ? null : (Map<String, Object>) response.get("schema");
            }

            boolean requiresBody() {
                return parameters.stream().anyMatch(p -> "body".equals(p.get("in")) && Boolean.TRUE.equals(p.get("required")));
            }

            List<String> booleanQueryParams() {
                return parameters.stream().filter(p -> "query".equals(p.get("in")) && "boolean".equals(p.get("type")))
                        .map(p -> (String) p.get("name")).collect(Collectors.toList());
            }

            @Override
            public String toString() {
                return method + " " + path + " (" + operationId + ")";
            }
        }

        private final Map<String, Object> root;

        private Spec(Map<String, Object> root) {
            this.root = root;
        }

        static synchronized Spec get() {
            if (instance == null) {
                try (InputStream in = Spec.class.getResourceAsStream("/weaviate-users-openapi.json")) {
                    instance = new Spec(JSON.std.mapFrom(Objects.requireNonNull(in, "spec resource missing")));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return instance;
        }

        String basePath() {
            return (String) root.get("basePath");
        }

        @SuppressWarnings("unchecked")
        List<Operation> operations() {
            List<Operation> ops = new ArrayList<>();
            ((Map<String, Object>) root.get("paths")).forEach((path, item) ->
                    ((Map<String, Object>) item).forEach((method, o) -> {
                        Map<String, Object> op = (Map<String, Object>) o;
                        ops.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path,
                                (String) op.get("operationId"), (Map<String, Object>) op.get("responses"),
                                (List<Map<String, Object>>) op.getOrDefault("parameters", List.of())));
                    }));
            return ops;
        }

        Operation operation(String method, String path) {
            return operations().stream().filter(o -> o.method().equals(method) && o.path().equals(path))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(method + " " + path));
        }

        @SuppressWarnings("unchecked")
        void validate(Object value, Map<String, Object> schema, String at, List<String> errors) {
            Map<String, Object> s = resolve(schema);
            Set<String> types = types(s);
            String actual = typeOf(value);
            if (!types.isEmpty() && !types.contains(actual) && !("integer".equals(actual) && types.contains("number"))) {
                errors.add(at + ": expected " + types + " but was " + actual);
                return;
            }
            if (s.containsKey("enum") && !((List<Object>) s.get("enum")).contains(value)) {
                errors.add(at + ": " + value + " not in " + s.get("enum"));
            }
            if (value instanceof String) {
                validateString((String) value, s, at, errors);
            } else if (value instanceof Map) {
                validateObject((Map<String, Object>) value, s, at, errors);
            } else if (value instanceof List && s.containsKey("items")) {
                List<Object> items = (List<Object>) value;
                for (int i = 0; i < items.size(); i++) {
                    validate(items.get(i), (Map<String, Object>) s.get("items"), at + "[" + i + "]", errors);
                }
            }
        }

        private static void validateString(String value, Map<String, Object> s, String at, List<String> errors) {
            if ("date-time".equals(s.get("format"))) {
                try {
                    OffsetDateTime.parse(value);
                } catch (DateTimeParseException e) {
                    errors.add(at + ": not an ISO-8601 date-time: " + value);
                }
            }
            if (s.get("maxLength") instanceof Number && value.length() > ((Number) s.get("maxLength")).intValue()) {
                errors.add(at + ": longer than " + s.get("maxLength"));
            }
        }

        @SuppressWarnings("unchecked")
        private void validateObject(Map<String, Object> value, Map<String, Object> s, String at, List<String> errors) {
            Map<String, Object> properties = (Map<String, Object>) s.getOrDefault("properties", Map.of());
            for (Object required : (List<Object>) s.getOrDefault("required", List.of())) {
                if (!value.containsKey((String) required)) {
                    errors.add(at + ": missing required " + required);
                }
            }
            value.forEach((name, v) -> {
                if (!properties.containsKey(name)) {
                    errors.add(at + ": undeclared field " + name);
                } else {
                    validate(v, (Map<String, Object>) properties.get(name), at + "." + name, errors);
                }
            });
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> resolve(Map<String, Object> schema) {
            Object ref = schema.get("$ref");
            if (ref == null) {
                return schema;
            }
            String name = ((String) ref).substring("#/definitions/".length());
            return resolve((Map<String, Object>) ((Map<String, Object>) root.get("definitions")).get(name));
        }

        private static Set<String> types(Map<String, Object> s) {
            Object type = s.get("type");
            Set<String> types = new TreeSet<>();
            if (type instanceof String) {
                types.add((String) type);
            } else if (type instanceof List) {
                ((List<?>) type).forEach(t -> types.add((String) t));
            } else if (s.containsKey("properties")) {
                types.add("object");
            }
            return types;
        }

        private static String typeOf(Object value) {
            if (value == null) {
                return "null";
            } else if (value instanceof Map) {
                return "object";
            } else if (value instanceof List) {
                return "array";
            } else if (value instanceof String) {
                return "string";
            } else if (value instanceof Boolean) {
                return "boolean";
            } else if (value instanceof Integer || value instanceof Long) {
                return "integer";
            }
            return "number";
        }
    }
}
