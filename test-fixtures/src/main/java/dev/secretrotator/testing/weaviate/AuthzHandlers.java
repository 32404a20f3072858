package dev.secretrotator.testing.weaviate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code /v1/authz/users/...} endpoints: read, assign and revoke a user's roles. Only the {@code db}
 * user type exists here; {@code oidc} answers 500 like a Weaviate with OIDC disabled. Without
 * {@code includeFullRoles=true}, roles are listed by name only, as Weaviate does.
 */
final class AuthzHandlers {
    private static final String USER = "/v1/authz/users/{id}";

    private final UserStore store;

    /** A parsed assign/revoke body. */
    private record RoleChange(List<String> roles, String userType) {
    }

    AuthzHandlers(UserStore store) {
        this.store = store;
    }

    void register(Router router) {
        router.add("GET", USER + "/roles", this::rolesDeprecated)
                .add("GET", USER + "/roles/{userType}", this::roles)
                .add("POST", USER + "/assign", this::assign)
                .add("POST", USER + "/revoke", this::revoke);
    }

    private Reply rolesDeprecated(Request request) {
        String id = request.param("id");
        if (!id.equals(request.principal())) {
            store.authorize(request.principal(), RoleRegistry.READ_USERS, id);
        }
        return Reply.json(200, store.rolesOf(id, true));
    }

    private Reply roles(Request request) {
        String id = request.param("id");
        String userType = request.param("userType");
        if (!(id.equals(request.principal()) && "db".equals(userType))) {
            store.authorize(request.principal(), RoleRegistry.READ_USERS, id);
        }
        boolean full = request.flag("includeFullRoles");
        requireKnownUserType(userType);
        return Reply.json(200, store.rolesOf(id, full));
    }

    private Reply assign(Request request) {
        RoleChange change = parse(request, "assign");
        store.assign(request.param("id"), change.roles());
        return Reply.empty(200);
    }

    private Reply revoke(Request request) {
        RoleChange change = parse(request, "revoke");
        store.revoke(request.param("id"), change.roles());
        return Reply.empty(200);
    }

    /** Body checks (400; 403 for the root role), then the caller's permission, then the user type. */
    private RoleChange parse(Request request, String verb) {
        Map<String, Object> body = request.jsonObject(400);
        if (body == null) {
            throw ApiException.withError(400, "body in body is required");
        }
        List<String> roles = roleNames(body.get("roles"), verb);
        Object userType = body.get("userType");
        if (userType != null && !(userType instanceof String)) {
            throw ApiException.withError(400, "userType in body must be of type string");
        }
        store.authorize(request.principal(), RoleRegistry.ASSIGN_AND_REVOKE_USERS, request.param("id"));
        if (userType != null) {
            requireKnownUserType((String) userType);
        }
        return new RoleChange(roles, (String) userType);
    }

    private static List<String> roleNames(Object value, String verb) {
        if (!(value instanceof List)) {
            throw ApiException.withError(400, value == null ? "roles can not be empty" : "roles must be an array");
        }
        List<String> roles = new ArrayList<>();
        for (Object role : (List<?>) value) {
            if (!(role instanceof String) || ((String) role).isBlank()) {
                throw ApiException.withError(400, "one or more of the roles you want to " + verb + " is empty");
            }
            if (RoleRegistry.ROOT.equals(role)) {
                throw ApiException.withError(403, ("assign".equals(verb) ? "assigning" : "revoking")
                        + ": modifying 'root' role or changing its assignments is not allowed");
            }
            roles.add((String) role);
        }
        if (roles.isEmpty()) {
            throw ApiException.withError(400, "roles can not be empty");
        }
        return roles;
    }

    private static void requireKnownUserType(String userType) {
        if ("oidc".equals(userType)) {
            throw ApiException.withError(500, "user existence: oidc is not enabled");
        }
        if (!"db".equals(userType)) {
            throw ApiException.withError(400, "unknown userType: " + userType);
        }
    }
}
