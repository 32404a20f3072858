package dev.secretrotator.provider.weaviate;

import dev.secretrotator.RotationException;
import dev.secretrotator.handler.AwsClients;
import dev.secretrotator.provider.AdminBinding;
import dev.secretrotator.provider.AdminSecrets;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import dev.secretrotator.provider.weaviate.WeaviateSecret.Strategy;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weaviate}: API keys of Weaviate (1.30+) database users.
 *
 * <p>Weaviate keeps one key per user and {@code rotate-key} revokes the old key at once, so the
 * default strategy, {@code alternating-users}, rotates the key of a second user that is not in
 * {@code AWSCURRENT} and cuts over to it ({@link AlternatingUsers}); {@code single-user}
 * ({@link SingleUser}) has a brief gap at each rotation. Rollback and repair: {@link Recovery}.
 * Users are managed with an admin key read from {@code adminSecretArn}; the endpoint must be
 * HTTPS on the function's allow-list. See {@code docs/providers/weaviate.md}.
 *
 * <p>Stateless and thread-safe; every step is safe to repeat.
 */
public final class WeaviateProvider implements RotationProvider {
    public static final String NAME = "weaviate";

    private final AlternatingUsers alternating;
    private final SingleUser single;
    private final Recovery recovery;

    public WeaviateProvider() {
        this(KeyVerifier.system());
    }

    WeaviateProvider(KeyVerifier verifier) {
        this.alternating = new AlternatingUsers(verifier);
        this.single = new SingleUser(verifier);
        this.recovery = new Recovery(verifier);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SecretValue createCredential(StepContext context) {
        WeaviateSecret secret = settings(context, context.current());
        WeaviateClient client = client(context, "createSecret", secret, context.current());
        return secret.strategy() == Strategy.ALTERNATING_USERS
                ? alternating.create(context, secret, client)
                : single.create(context, secret, client);
    }

    /** Weaviate keeps one key per user: a second rotate-key at the same time would kill the stored key. */
    @Override
    public boolean exclusiveCreate() {
        return true;
    }

    @Override
    public void checkCreate(StepContext context) {
        WeaviateSecret secret = settings(context, context.current());
        WeaviateClient client = client(context, "createSecret", secret, context.current());
        if (secret.strategy() == Strategy.ALTERNATING_USERS) {
            alternating.check(context, secret, client);
        } else {
            single.check(secret, client);
        }
    }

    @Override
    public void applyCredential(StepContext context) {
        WeaviateSecret pending = settings(context, context.requirePending());
        if (pending.strategy() == Strategy.ALTERNATING_USERS) {
            alternating.apply(context, pending, client(context, "setSecret", pending, context.current()));
        }
    }

    @Override
    public void verifyCredential(StepContext context) {
        SecretValue value = context.requirePending();
        WeaviateSecret pending = settings(context, value);
        if (pending.strategy() == Strategy.ALTERNATING_USERS) {
            alternating.verify(pending, value.require("apiKey"), client(context, "testSecret", pending, context.current()));
        } else {
            single.verify(pending, value.require("apiKey"), unmanagedClient(context, pending));
        }
    }

    @Override
    public void afterCutover(StepContext context) {
        SecretValue value = context.requirePending();
        WeaviateSecret pending = settings(context, value);
        if (pending.strategy() == Strategy.ALTERNATING_USERS) {
            // no call to Weaviate or AWS: nothing may fail after the cutover
            alternating.afterCutover(context, pending);
        }
    }

    @Override
    public boolean keepsPreviousCredential() {
        return true;
    }

    @Override
    public RetirementResult retire(StepContext context) {
        WeaviateSecret secret = settings(context, context.current());
        if (secret.strategy() == Strategy.SINGLE_USER) {
            return RetirementResult.nothing("single-user keeps no previous key: rotate-key revoked it at once");
        }
        return alternating.retire(context, secret,
                client(context, context.emergency() ? "emergency sweep" : "sweep", secret, context.current()));
    }

    /** The user id: events, logs and the status name users, never keys. */
    @Override
    public String credentialId(SecretValue value) {
        return value.string("userId").orElseGet(() -> RotationProvider.super.credentialId(value));
    }

    @Override
    public void restoreCredential(StepContext context) {
        SecretValue value = context.requirePending();
        WeaviateSecret previous = settings(context, value);
        recovery.restore(context, previous, value.require("apiKey"), context.current().require("userId"),
                client(context, "rollback", previous, context.current()));
    }

    @Override
    public void discardCredential(StepContext context) {
        WeaviateSecret abandoned = settings(context, context.requirePending());
        recovery.discard(context, abandoned, context.current().require("userId"), client(context, "repair", abandoned, context.current()));
    }

    /**
     * {@code userId}, {@code status} ({@code Active}, {@code Inactive} or {@code Missing}),
     * {@code lastUsedAt} ({@code never} if none is recorded) and, when Weaviate shows key letters
     * (to root callers), {@code key}: whether the user still holds the key of {@code value}. A
     * failure is reported as {@code error} instead: the status shows the other versions.
     */
    @Override
    public Map<String, String> credentialState(StepContext context, SecretValue value) {
        try {
            WeaviateSecret secret = settings(context, value);
            Optional<UserInfo> info = client(context, "status", secret, context.current()).user(secret.userId());
            Map<String, String> state = new LinkedHashMap<>();
            state.put("userId", secret.userId());
            state.put("status", info.map(i -> i.active() ? "Active" : "Inactive").orElse("Missing"));
            info.ifPresent(i -> state.put("lastUsedAt", i.lastUsedAt().map(Object::toString).orElse("never")));
            info.filter(i -> i.keyLetters().isPresent()).ifPresent(i -> state.put("key",
                    i.holdsOtherKeyThan(value.require("apiKey")) ? "rotated away" : "held by this version"));
            return state;
        } catch (RotationException e) {
            return Map.of("error", e.reason());
        }
    }

    private static WeaviateSecret settings(StepContext context, SecretValue value) {
        return WeaviateSecret.parse(value, context.services().config());
    }

    /** A client without a management key, for own-info with the key under test (no admin secret is read). */
    private static WeaviateClient unmanagedClient(StepContext context, WeaviateSecret secret) {
        return new WeaviateClient(context.services().client(HttpClient.class), secret.endpoint(), () -> {
            throw new IllegalStateException("this client makes no management call");
        }, "none (own-info only)", context.services().telemetry().redactor(), AwsClients.READ_TIMEOUT);
    }

    /**
     * A client that manages users with the admin key, or (with {@code selfManaged}) with the key
     * of {@code active}, the value whose user is in {@code AWSCURRENT} at that moment. The admin
     * secret's tags must bind it to this secret and to the endpoint ({@link AdminBinding}),
     * checked before its key is read: nothing is sent to Weaviate otherwise. The admin secret is
     * read once per step ({@link StepContext#memo()}).
     *
     * @param step the step or operation, for messages
     */
    private static WeaviateClient client(StepContext context, String step, WeaviateSecret secret, SecretValue active) {
        String key;
        String source;
        if (secret.adminSecretArn().isPresent()) {
            String arn = secret.adminSecretArn().get();
            key = AdminSecrets.read(arn, secret.adminKeyField(), AdminBinding.of(context, step, secret.endpoint()), context);
            source = "field \"" + secret.adminKeyField() + "\" of the admin secret " + arn;
        } else {
            key = active.require("apiKey");
            context.services().telemetry().redactor().register(key);
            source = "the apiKey of user '" + active.require("userId") + "' (selfManaged)";
        }
        return new WeaviateClient(context.services().client(HttpClient.class), secret.endpoint(), () -> key, source,
                context.services().telemetry().redactor(), AwsClients.READ_TIMEOUT);
    }
}
