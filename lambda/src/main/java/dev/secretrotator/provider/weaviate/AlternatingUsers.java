package dev.secretrotator.provider.weaviate;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.StaleCredentialException;
import dev.secretrotator.VerificationException;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.RetirementResult.Action;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The zero-downtime strategy: two users with the same roles, used in turn. Each rotation gives
 * the user that is not in {@code AWSCURRENT} (the idle one) a new key, so the active user's key
 * keeps working until the rotation after next. The secret's {@code userId}/{@code apiKey} name
 * the active user; the pending value swaps {@code userId} and {@code alternateUserId}.
 * Stateless; thread-safe.
 */
final class AlternatingUsers {
    /** Weaviate never lets the root role be assigned or revoked: a root user cannot have a twin. */
    static final String ROOT_ROLE = "root";

    private final KeyVerifier verifier;

    AlternatingUsers(KeyVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * createSecret: creates the idle user on first use, reactivates it if a sweep deactivated it,
     * then rotates its key. Refuses (changing nothing) if its key was used within the quiet
     * period (an emergency deactivates it first, in its retirement). A retry after a lost answer or a failed
     * {@code PutSecretValue} simply rotates again: the key it replaces was never stored. Never
     * runs twice at once for one rotation: the provider asks for an exclusive createSecret.
     */
    SecretValue create(StepContext context, WeaviateSecret secret, WeaviateClient client) {
        String active = secret.userId();
        String idle = secret.idleUserId();
        Optional<UserInfo> idleInfo = checked(context, secret, client);
        String key = null;
        if (idleInfo.isEmpty()) {
            key = client.create(idle).orElse(null); // empty: created meanwhile; rotated below
            if (key != null) {
                log(context, "created the alternate Weaviate user; setSecret gives it the active user's roles", idle, Map.of());
            }
        } else if (!idleInfo.get().active()) {
            client.activate(idle);
            context.history().clearDeactivation(idle);
            log(context, "reactivated the alternate Weaviate user", idle, Map.of());
        }
        if (key == null) {
            key = client.rotateKey(idle);
        }
        return context.current().with("userId", idle).with("alternateUserId", active).with("apiKey", key);
    }

    /** createSecret's refusals, reading only: see {@link #create}. */
    void check(StepContext context, WeaviateSecret secret, WeaviateClient client) {
        checked(context, secret, client);
    }

    /** The idle user, if it exists, once both users passed createSecret's checks. */
    private Optional<UserInfo> checked(StepContext context, WeaviateSecret secret, WeaviateClient client) {
        Optional<UserInfo> activeInfo = client.user(secret.userId());
        requireRotatable(activeInfo, secret.userId(), "userId", secret);
        refuseRoot(activeInfo.get(), "userId", secret.idleUserId());
        Optional<UserInfo> idleInfo = client.user(secret.idleUserId());
        idleInfo.ifPresent(info -> requireRotatable(idleInfo, secret.idleUserId(), "alternateUserId", secret));
        idleInfo.ifPresent(info -> refuseRoot(info, "alternateUserId", secret.userId()));
        idleInfo.ifPresent(info -> refuseIfInUse(context, secret, info));
        return idleInfo;
    }

    /**
     * setSecret: makes sure the pending user is active (a sweep may have run since createSecret)
     * and holds exactly the roles of the other user. Safe to repeat.
     */
    void apply(StepContext context, WeaviateSecret pending, WeaviateClient client) {
        String user = pending.userId();
        String other = pending.idleUserId();
        UserInfo info = client.user(user).orElseThrow(() -> missing(user, pending));
        UserInfo model = client.user(other).orElseThrow(() -> missing(other, pending));
        refuseRoot(model, "alternateUserId", user);
        refuseRoot(info, "userId", other);
        if (!info.active()) {
            client.activate(user);
            context.history().clearDeactivation(user);
        }
        Set<String> wanted = model.roles();
        Set<String> missingRoles = difference(wanted, info.roles());
        Set<String> extraRoles = difference(info.roles(), wanted);
        if (!missingRoles.isEmpty()) {
            client.changeRoles(user, List.copyOf(missingRoles), true);
        }
        if (!extraRoles.isEmpty()) {
            client.changeRoles(user, List.copyOf(extraRoles), false);
        }
        if (!missingRoles.isEmpty() || !extraRoles.isEmpty()) {
            log(context, "aligned the roles of the pending Weaviate user with the current user's", user,
                    Map.of("roles", List.copyOf(wanted), "assigned", List.copyOf(missingRoles), "revoked", List.copyOf(extraRoles)));
        }
    }

    /** testSecret: the new key answers own-info as the pending user, and that user has the other's roles. */
    void verify(WeaviateSecret pending, String key, WeaviateClient client) {
        verifier.verify(client::ownInfo, key, pending.userId(), pending.verification());
        UserInfo info = client.user(pending.userId()).orElseThrow(() -> missing(pending.userId(), pending));
        UserInfo model = client.user(pending.idleUserId()).orElseThrow(() -> missing(pending.idleUserId(), pending));
        if (!info.roles().equals(model.roles())) {
            throw new VerificationException("user '" + pending.userId() + "' holds roles " + info.roleList()
                    + " but user '" + pending.idleUserId() + "' holds " + model.roleList()
                    + "; setSecret aligns them: let Secrets Manager retry the rotation");
        }
    }

    /**
     * finishSecret: nothing to do (the previous user keeps its key until the sweep retires it, or
     * until an emergency's retirement revokes it).
     */
    void afterCutover(StepContext context, WeaviateSecret pending) {
        String previous = pending.idleUserId();
        log(context, "the previous Weaviate user keeps its key until the next rotation", previous, Map.of());
    }

    /** The sweep: deactivates the idle user after the grace period if unused within the quiet period. */
    RetirementResult retire(StepContext context, WeaviateSecret secret, WeaviateClient client) {
        String idle = secret.idleUserId();
        Optional<UserInfo> info = client.user(idle);
        if (info.isEmpty()) {
            // also in an emergency: the first one runs before any rotation created the alternate user
            return RetirementResult.nothing("user '" + idle + "' does not exist yet: the next rotation creates it");
        }
        if (context.emergency()) {
            revoke(context, client, idle);
            return RetirementResult.of(Action.REVOKED, idle, "deactivated with its key revoked (emergency)");
        }
        requireRotatable(info, idle, "alternateUserId", secret);
        Instant now = context.services().clock().instant();
        if (!info.get().active()) {
            Instant since = context.history().deactivatedAt(idle).orElse(null);
            if (since == null) {
                context.history().recordDeactivation(idle, now);
            }
            return RetirementResult.nothing("user '" + idle + "' is deactivated" + (since == null ? "" : " since " + since)
                    + "; the next rotation reactivates it with a new key");
        }
        Instant graceEnds = context.history().currentSince().plus(secret.retirement().gracePeriod());
        if (now.isBefore(graceEnds)) {
            return RetirementResult.of(Action.WAITING, idle, "in its grace period until " + graceEnds);
        }
        Optional<Instant> lastUsed = info.get().lastUsedAt();
        if (usedWithinQuietPeriod(lastUsed, now, secret)) {
            return RetirementResult.of(Action.STILL_IN_USE, idle, "last used at " + lastUsed.get()
                    + ", within the quiet period of " + secret.retirement().quietPeriod() + "; kept active");
        }
        client.deactivate(idle, false);
        context.history().recordDeactivation(idle, now);
        return RetirementResult.of(Action.DEACTIVATED, idle, "deactivated (key kept, unusable while inactive);"
                + " last used " + lastUsed.map(Instant::toString).orElse("never") + "; the next rotation reactivates it");
    }

    private void refuseIfInUse(StepContext context, WeaviateSecret secret, UserInfo idle) {
        if (!idle.active()) {
            return;
        }
        Instant now = context.services().clock().instant();
        if (usedWithinQuietPeriod(idle.lastUsedAt(), now, secret)) {
            throw new StaleCredentialException("user '" + idle.userId() + "' (the previous credential, alternateUserId)"
                    + " was last used at " + idle.lastUsedAt().get() + ", within the quiet period of "
                    + secret.retirement().quietPeriod() + "; rotating its key now would cut off consumers still using it."
                    + " Nothing was changed: wait until it has been unused for the quiet period, or run an emergency rotation");
        }
    }

    private static boolean usedWithinQuietPeriod(Optional<Instant> lastUsed, Instant now, WeaviateSecret secret) {
        return lastUsed.isPresent() && lastUsed.get().isAfter(now.minus(secret.retirement().quietPeriod()));
    }

    /** {@link #revokeKey}, recorded in the ledger and logged. */
    private void revoke(StepContext context, WeaviateClient client, String user) {
        revokeKey(client, user);
        context.history().recordDeactivation(user, context.services().clock().instant());
        context.services().telemetry().warn("emergency: revoked the previous Weaviate user's key", fields(context, user, Map.of()));
    }

    /** Deactivates with the key revoked; if already inactive, rotates the key away instead. */
    static void revokeKey(WeaviateClient client, String user) {
        if (!client.deactivate(user, true)) {
            client.rotateKey(user); // the new key is never stored: nobody can use it
        }
    }

    static void requireRotatable(Optional<UserInfo> info, String user, String field, WeaviateSecret secret) {
        UserInfo i = info.orElseThrow(() -> missing(user, secret));
        if (i.envUser()) {
            throw new InvalidInputException("user '" + user + "' (field \"" + field + "\") is a db_env_user, configured by"
                    + " Weaviate's environment variables: Weaviate cannot rotate its key. Use a database user"
                    + " (POST /v1/users/db/{user_id}); nothing was changed");
        }
    }

    static InvalidInputException missing(String user, WeaviateSecret secret) {
        return new InvalidInputException("user '" + user + "' does not exist on Weaviate at " + secret.host()
                + "; check the secret's userId, or create the user; nothing was changed");
    }

    /**
     * Refuses a user holding {@code root}: its twin must hold the same rights, and Weaviate lets
     * no API call assign (or revoke) root, so the twin would silently get fewer.
     */
    static void refuseRoot(UserInfo info, String field, String twin) {
        if (info.roles().contains(ROOT_ROLE)) {
            throw new InvalidInputException("user '" + info.userId() + "' (field \"" + field + "\") holds Weaviate's root role,"
                    + " which no API call can give to or take from another user: its twin '" + twin + "' would not hold"
                    + " the same rights. Give '" + info.userId() + "' a role with the permissions it needs instead of root"
                    + " (remove it from AUTHORIZATION_RBAC_ROOT_USERS), or use strategy single-user; nothing was changed");
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static void log(StepContext context, String message, String user, Map<String, Object> extra) {
        context.services().telemetry().info(message, fields(context, user, extra));
    }

    static Map<String, Object> fields(StepContext context, String user, Map<String, Object> extra) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("secretId", context.secretId());
        f.put("provider", WeaviateProvider.NAME);
        f.put("userId", user);
        f.putAll(extra);
        return f;
    }
}
