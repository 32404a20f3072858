package dev.secretrotator.testing.weaviate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The roles known to the server and the actions (Weaviate permission actions such as {@code read_users})
 * each grants. Built-in roles: {@code root} (every action; held by root users, never assignable),
 * {@code admin} (every user and role action) and {@code viewer} (read-only). Immutable, so thread-safe.
 */
final class RoleRegistry {
    static final String ROOT = "root";
    static final String READ_USERS = "read_users";
    static final String CREATE_USERS = "create_users";
    static final String UPDATE_USERS = "update_users";
    static final String DELETE_USERS = "delete_users";
    static final String ASSIGN_AND_REVOKE_USERS = "assign_and_revoke_users";

    private static final List<String> ALL_ACTIONS = List.of(CREATE_USERS, READ_USERS, UPDATE_USERS, DELETE_USERS,
            ASSIGN_AND_REVOKE_USERS, "create_roles", "read_roles", "update_roles", "delete_roles");
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z][-_0-9A-Za-z]{0,63}");

    private final Map<String, List<String>> actionsByRole;

    /** @param custom extra roles by name with the actions they grant; names must not clash with built-ins */
    RoleRegistry(Map<String, List<String>> custom) {
        Map<String, List<String>> roles = new TreeMap<>();
        roles.put(ROOT, ALL_ACTIONS);
        roles.put("admin", ALL_ACTIONS);
        roles.put("viewer", List.of(READ_USERS, "read_roles"));
        custom.forEach((name, actions) -> {
            if (!ROLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a valid role name");
            }
            if (roles.containsKey(name)) {
                throw new IllegalArgumentException("role '" + name + "' is built in or defined twice");
            }
            roles.put(name, List.copyOf(actions));
        });
        this.actionsByRole = Map.copyOf(roles);
    }

    boolean exists(String role) {
        return actionsByRole.containsKey(role);
    }

    /** Whether any of {@code roles} grants {@code action}. */
    boolean grants(Collection<String> roles, String action) {
        for (String role : roles) {
            if (actionsByRole.getOrDefault(role, List.of()).contains(action)) {
                return true;
            }
        }
        return false;
    }

    /** The spec's {@code Role}: {@code name}, plus {@code permissions} when asked for. */
    Map<String, Object> describe(String role, boolean withPermissions) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", role);
        if (withPermissions) {
            List<Map<String, Object>> permissions = new ArrayList<>();
            for (String action : actionsByRole.getOrDefault(role, List.of())) {
                permissions.add(permission(action));
            }
            out.put("permissions", permissions);
        }
        return out;
    }

    private static Map<String, Object> permission(String action) {
        Map<String, Object> permission = new LinkedHashMap<>();
        permission.put("action", action);
        if (action.endsWith("_users")) {
            permission.put("users", Map.of("users", "*"));
        } else if (action.endsWith("_roles")) {
            permission.put("roles", Map.of("role", "*", "scope", "all"));
        }
        return permission;
    }
}
