package dev.secretrotator.testing.weaviate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All server state: users, their single API key each, their roles. Every method is atomic
 * ({@code synchronized} on the store). Errors are raised as {@link ApiException} with the status
 * real Weaviate answers.
 */
final class UserStore {
    private final Map<String, DbUser> users = new LinkedHashMap<>();
    private final Map<String, String> userIdByKey = new HashMap<>();
    private final RoleRegistry roles;
    private Clock clock;
    private java.util.Set<String> rootNames = java.util.Set.of();

    UserStore(RoleRegistry roles, Clock clock) {
        this.roles = roles;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Names that are root when a database user is created with them ({@code AUTHORIZATION_RBAC_ROOT_USERS}). */
    synchronized void rootNames(Collection<String> names) {
        this.rootNames = java.util.Set.copyOf(names);
    }

    synchronized void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a {@code db_env_user} (root users are env users holding the {@code root} role). */
    synchronized void addEnvUser(String id, String apiKey, boolean root, Collection<String> roleNames) {
        if (users.containsKey(id) || userIdByKey.containsKey(apiKey)) {
            throw new IllegalArgumentException("duplicate env user or API key for user '" + id + "'");
        }
        requireRolesExist(roleNames, 0);
        DbUser user = new DbUser(id, DbUser.Kind.ENV, root, null);
        user.roles.addAll(roleNames);
        if (root) {
            user.roles.add(RoleRegistry.ROOT);
        }
        user.apiKey = apiKey;
        users.put(id, user);
        userIdByKey.put(apiKey, id);
    }

    /** The user id the key belongs to if it authenticates (active user), else null; records last use. */
    synchronized String authenticate(String apiKey) {
        DbUser user = activeOwner(apiKey);
        if (user == null) {
            return null;
        }
        if (user.kind == DbUser.Kind.DB) {
            user.lastUsedAt = clock.instant();
        }
        return user.id;
    }

    synchronized boolean isKeyValid(String apiKey) {
        return activeOwner(apiKey) != null;
    }

    synchronized String apiKeyOf(String id) {
        DbUser user = users.get(id);
        return user == null || !user.active ? null : user.apiKey;
    }

    synchronized boolean isRoot(String id) {
        DbUser user = users.get(id);
        return user != null && user.root;
    }

    /** Answers 403 unless the caller is root or holds a role granting {@code action}. */
    synchronized void authorize(String callerId, String action, String targetUser) {
        DbUser caller = users.get(callerId);
        if (caller == null || !(caller.root || roles.grants(caller.roles, action))) {
            throw ApiException.withError(403, "authorization, forbidden action: user '" + callerId
                    + "' has insufficient permissions to " + action + " [users/" + targetUser + "]");
        }
    }

    /** Creates a {@code db_user} holding {@code roleNames} and returns its new key; 409 if the id is taken. */
    synchronized String create(String id, Collection<String> roleNames) {
        if (users.containsKey(id)) {
            throw ApiException.withError(409, "user '" + id + "' already exists");
        }
        requireRolesExist(roleNames, 404);
        boolean root = rootNames.contains(id);
        DbUser user = new DbUser(id, DbUser.Kind.DB, root, clock.instant());
        user.roles.addAll(roleNames);
        if (root) {
            user.roles.add(RoleRegistry.ROOT);
        }
        users.put(id, user);
        return issueKey(user);
    }

    /** Replaces the user's key; the old key stops authenticating at once. */
    synchronized String rotate(String id) {
        return issueKey(requireDbUser(id));
    }

    synchronized void delete(String id) {
        DbUser user = requireDbUser(id);
        users.remove(id);
        if (user.apiKey != null) {
            userIdByKey.remove(user.apiKey);
        }
    }

    synchronized void deactivate(String id, boolean revokeKey) {
        DbUser user = requireDbUser(id);
        if (!user.active) {
            throw ApiException.bare(409, "user '" + id + "' already deactivated");
        }
        user.active = false;
        if (revokeKey && user.apiKey != null) {
            userIdByKey.remove(user.apiKey);
            user.apiKey = null;
        }
    }

    synchronized void activate(String id) {
        DbUser user = requireDbUser(id);
        if (user.active) {
            throw ApiException.bare(409, "user '" + id + "' already activated");
        }
        user.active = true;
    }

    synchronized Map<String, Object> info(String id, boolean includeLastUsed, boolean showKeyLetters) {
        return requireUser(id).info(includeLastUsed, showKeyLetters);
    }

    synchronized List<Map<String, Object>> list(boolean includeLastUsed, boolean showKeyLetters) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DbUser user : users.values()) {
            out.add(user.info(includeLastUsed, showKeyLetters));
        }
        return out;
    }

    /** The user's roles as spec {@code Role} objects, sorted by name; 404 (no body) for an unknown user. */
    synchronized List<Map<String, Object>> rolesOf(String id, boolean withPermissions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String role : requireUser(id).roles) {
            out.add(roles.describe(role, withPermissions));
        }
        return out;
    }

    synchronized void assign(String id, Collection<String> roleNames) {
        requireRolesExist(roleNames, 404);
        requireUserWithError(id, "username to assign role to doesn't exist").roles.addAll(roleNames);
    }

    synchronized void revoke(String id, Collection<String> roleNames) {
        requireRolesExist(roleNames, 404);
        requireUserWithError(id, "username to revoke role from doesn't exist").roles.removeAll(roleNames);
    }

    /** The spec's {@code UserOwnInfo} for an authenticated user. */
    synchronized Map<String, Object> ownInfo(String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", id);
        out.put("roles", rolesOf(id, true));
        return out;
    }

    private DbUser activeOwner(String apiKey) {
        String id = apiKey == null ? null : userIdByKey.get(apiKey);
        DbUser user = id == null ? null : users.get(id);
        return user != null && user.active ? user : null;
    }

    private String issueKey(DbUser user) {
        if (user.apiKey != null) {
            userIdByKey.remove(user.apiKey);
        }
        String key;
        do {
            key = ApiKeys.generate();
        } while (userIdByKey.containsKey(key));
        user.apiKey = key;
        userIdByKey.put(key, user.id);
        return key;
    }

    private DbUser requireUser(String id) {
        DbUser user = users.get(id);
        if (user == null) {
            throw ApiException.bare(404, "user '" + id + "' not found");
        }
        return user;
    }

    private DbUser requireUserWithError(String id, String message) {
        DbUser user = users.get(id);
        if (user == null) {
            throw ApiException.withError(404, message);
        }
        return user;
    }

    /** A user the API may change: 422 for a {@code db_env_user}, 404 (no body) for an unknown id. */
    private DbUser requireDbUser(String id) {
        DbUser user = requireUser(id);
        if (user.kind == DbUser.Kind.ENV) {
            throw ApiException.withError(422, "user '" + id + "' is static user");
        }
        return user;
    }

    /** Checks every role exists; {@code status} 0 means a construction-time IllegalArgumentException. */
    private void requireRolesExist(Collection<String> roleNames, int status) {
        for (String role : roleNames) {
            if (!roles.exists(role)) {
                if (status == 0) {
                    throw new IllegalArgumentException("unknown role '" + role + "'");
                }
                throw ApiException.withError(status, "one or more of the roles requested doesn't exist");
            }
        }
    }
}
