package dev.secretrotator.testing.weaviate;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code /v1/users/...} endpoints: own-info and database-user management. Check order follows
 * Weaviate: body syntax, user-name syntax, permission (403), then the user's state (422, 404, 409).
 */
final class UserHandlers {
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z][-_0-9A-Za-z@.]{0,128}");
    private static final String USER = "/v1/users/db/{user_id}";

    private final UserStore store;

    UserHandlers(UserStore store) {
        this.store = store;
    }

    void register(Router router) {
        router.add("GET", "/v1/users/own-info", this::ownInfo)
                .add("GET", "/v1/users/db", this::list)
                .add("GET", USER, this::get)
                .add("POST", USER, this::create)
                .add("DELETE", USER, this::delete)
                .add("POST", USER + "/rotate-key", this::rotate)
                .add("POST", USER + "/activate", this::activate)
                .add("POST", USER + "/deactivate", this::deactivate);
    }

    private Reply ownInfo(Request request) {
        return Reply.json(200, store.ownInfo(request.principal()));
    }

    private Reply list(Request request) {
        boolean includeLastUsed = request.flag("includeLastUsedTime");
        store.authorize(request.principal(), RoleRegistry.READ_USERS, "*");
        return Reply.json(200, store.list(includeLastUsed, store.isRoot(request.principal())));
    }

    private Reply get(Request request) {
        String id = request.param("user_id");
        boolean includeLastUsed = request.flag("includeLastUsedTime");
        store.authorize(request.principal(), RoleRegistry.READ_USERS, id);
        return Reply.json(200, store.info(id, includeLastUsed, store.isRoot(request.principal())));
    }

    private Reply create(Request request) {
        request.jsonObject(422);
        String id = request.param("user_id");
        if (id.length() > 128 || !USER_NAME.matcher(id).matches()) {
            throw ApiException.withError(422, "'" + id + "' is not a valid user name");
        }
        store.authorize(request.principal(), RoleRegistry.CREATE_USERS, id);
        return Reply.json(201, Map.of("apikey", store.create(id, List.of())));
    }

    private Reply delete(Request request) {
        String id = request.param("user_id");
        store.authorize(request.principal(), RoleRegistry.DELETE_USERS, id);
        if (id.equals(request.principal())) {
            throw ApiException.withError(422, "cannot delete its own user \"" + id + "\"");
        }
        store.delete(id);
        return Reply.empty(204);
    }

    private Reply rotate(Request request) {
        String id = request.param("user_id");
        store.authorize(request.principal(), RoleRegistry.UPDATE_USERS, id);
        return Reply.json(200, Map.of("apikey", store.rotate(id)));
    }

    private Reply activate(Request request) {
        String id = request.param("user_id");
        store.authorize(request.principal(), RoleRegistry.UPDATE_USERS, id);
        store.activate(id);
        return Reply.empty(200);
    }

    private Reply deactivate(Request request) {
        Map<String, Object> body = request.jsonObject(422);
        Object revokeKey = body == null ? null : body.get("revoke_key");
        if (revokeKey != null && !(revokeKey instanceof Boolean)) {
            throw ApiException.withError(422, "revoke_key in body must be of type boolean");
        }
        String id = request.param("user_id");
        store.authorize(request.principal(), RoleRegistry.UPDATE_USERS, id);
        if (id.equals(request.principal())) {
            throw ApiException.withError(422, "user '" + id + "' cannot self-deactivate");
        }
        store.deactivate(id, Boolean.TRUE.equals(revokeKey));
        return Reply.empty(200);
    }
}
