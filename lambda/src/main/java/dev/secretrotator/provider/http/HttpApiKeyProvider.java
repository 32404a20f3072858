package dev.secretrotator.provider.http;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.provider.ConcurrentCreate;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@code http-api-key}: API keys and client credentials minted and revoked through the vendor's
 * HTTP API, as a {@link Profile} describes it: built-in profiles ({@link ProfileCatalog#BUILT_IN}:
 * SaaS API keys; GitLab, Cloudflare, Confluent Cloud and Databricks tokens, which first read the
 * current key's attributes ({@link ReadBeforeCreate}); Entra ID, Okta, MongoDB Atlas and Google
 * Cloud credentials, managed and verified through OAuth 2.0 token steps), or a profile in the
 * secret or in a deployment file.
 *
 * <ul>
 *   <li>createSecret mints a key whose name contains the version token. First it lists the
 *       vendor's keys by that name: a key an earlier attempt of the same rotation made is reused
 *       if this container still holds its value, else revoked (its value was never stored), so
 *       orphans never pile up. A vendor whose keys have no name (and no list) gets only the reuse
 *       within a warm container.</li>
 *   <li>testSecret polls the verify call (or the key's token request) with the new key until it
 *       authenticates several times in a row: a 2xx, or a status the profile accepts by name.</li>
 *   <li>finishSecret revokes nothing; an emergency rotation revokes through {@link #retire}.</li>
 *   <li>The sweep retires the previous key after the grace period, unless the vendor reports it
 *       used within the quiet period: revoked, or deactivated and deleted after the hold where the
 *       vendor can deactivate ({@link StagedRetirement}).</li>
 * </ul>
 *
 * <p>Stateless apart from {@link MintedKeys}, a small in-memory cache; thread-safe.
 */
public final class HttpApiKeyProvider implements RotationProvider {
    public static final String NAME = "http-api-key";

    private final Function<Path, ProfileCatalog> catalogs;
    private final MintedKeys minted = new MintedKeys();

    /** Profile files from the configuration's {@link RotatorConfig#profileDirectory()}, one catalog per directory. */
    public HttpApiKeyProvider() {
        Map<Path, ProfileCatalog> byDirectory = new ConcurrentHashMap<>();
        this.catalogs = directory -> byDirectory.computeIfAbsent(directory, d -> new ProfileCatalog(List.of(d)));
    }

    /** Tests: this catalog whatever the configuration says. */
    HttpApiKeyProvider(ProfileCatalog catalog) {
        this.catalogs = directory -> catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(SecretValue current, RotatorConfig config) {
        Target.checkFields(current, catalog(config));
    }

    @Override
    public SecretValue createCredential(StepContext context) {
        ProviderServices services = context.services();
        SecretValue current = context.current();
        Target target = Target.resolve(current, catalog(services.config()), services);
        ReadBeforeCreate.checkKnownLifetime(target);
        KeyApi api = api(target, services);
        String name = target.keyName(context.versionId());
        Credential management = target.managementCredential(context, "createSecret", current);
        Instant now = services.clock().instant();
        Optional<KeyApi.Minted> known = minted.recall(context.secretArn(), context.versionId(), now);
        if (target.profile().list().isPresent()) {
            List<KeyApi.Listed> sameName = api.findByName(management, name);
            for (KeyApi.Listed earlier : sameName) {
                if (known.isPresent() && known.get().id().equals(earlier.id())) {
                    log(services, "reusing the key an earlier attempt of this rotation minted", target, earlier.id());
                    return withKey(current, known.get());
                }
                if (!earlier.id().equals(current.require(Target.KEY_ID))) {
                    Optional<SecretValue> stored = minted.attempted(context.secretArn(), context.versionId(), now)
                            ? Optional.empty() // minted by this container's own call whose answer was lost
                            : storedByAnotherInvocation(context, earlier.id());
                    if (stored.isPresent()) {
                        Optional<String> kept = stored.get().string(Target.KEY_ID);
                        sameName.stream().map(KeyApi.Listed::id)
                                .filter(id -> !kept.equals(Optional.of(id)) && !id.equals(current.require(Target.KEY_ID)))
                                .forEach(id -> api.revokeNow(management, id));
                        log(services, "another invocation of this rotation stored its key: taking it", target,
                                kept.orElse("(none)"));
                        return stored.get();
                    }
                    api.revokeNow(management, earlier.id());
                    log(services, "revoked a key an earlier attempt of this rotation minted (its value was never stored)",
                            target, earlier.id());
                }
            }
        } else if (known.isPresent()) {
            log(services, "reusing the key an earlier attempt of this rotation minted", target, known.get().id());
            return withKey(current, known.get());
        }
        Map<String, Object> inherited = ReadBeforeCreate.variables(target, api, management,
                () -> target.keyCredential(current, services), services.clock());
        minted.attempting(context.secretArn(), context.versionId(), now);
        KeyApi.Minted key = api.create(management, name, inherited);
        services.telemetry().redactor().register(key.key());
        minted.remember(context.secretArn(), context.versionId(), key, now);
        log(services, "minted a new key", target, key.id());
        return withKey(current, key);
    }

    /**
     * A key of this rotation's name that this container did not mint may be another invocation's
     * that is still running and about to store it (Lambda retries can overlap): revoking it would
     * leave that pending value holding a revoked key. Waits up to {@link ConcurrentCreate#IN_FLIGHT}
     * for a pending value to be stored, and returns it if one is; empty if none came (an orphan).
     */
    private static Optional<SecretValue> storedByAnotherInvocation(StepContext context, String keyId) {
        Instant giveUp = context.services().clock().instant().plus(ConcurrentCreate.IN_FLIGHT);
        while (true) {
            Optional<SecretValue> stored = ConcurrentCreate.stored(context);
            if (stored.isPresent() || !context.services().clock().instant().isBefore(giveUp)) {
                return stored;
            }
            ConcurrentCreate.pause("key " + keyId + " of this rotation, minted elsewhere, to be stored by a concurrent"
                    + " createSecret or to prove an orphan");
        }
    }

    @Override
    public void verifyCredential(StepContext context) {
        ProviderServices services = context.services();
        SecretValue pending = context.requirePending();
        Target target = Target.resolve(pending, catalog(services.config()), services);
        KeyVerifier.Outcome outcome = new KeyVerifier(api(target, services), services.clock())
                .await(target.keyCredential(pending, services), target.timing());
        Map<String, Object> fields = fields(target, pending.require(Target.KEY_ID));
        fields.put("verifyCalls", outcome.calls());
        fields.put("verifyMs", outcome.elapsed().toMillis());
        services.telemetry().info("new key verified", fields);
    }

    /**
     * The management credential createSecret will use must resolve (an admin secret: read, and
     * bound to this secret and endpoint). Read-only.
     */
    @Override
    public void checkCreate(StepContext context) {
        Target.resolve(context.current(), catalog(context.services().config()), context.services())
                .managementCredential(context, "createSecret", context.current());
    }

    /** The vendor makes the key in createSecret: setSecret has nothing to apply. */
    @Override
    public boolean appliesCredential() {
        return false;
    }

    @Override
    public boolean keepsPreviousCredential() {
        return true;
    }

    /** The previous key, one stage per sweep ({@link StagedRetirement}). */
    @Override
    public RetirementResult retire(StepContext context) {
        ProviderServices services = context.services();
        SecretValue current = context.current();
        Target target = Target.resolve(current, catalog(services.config()), services);
        Optional<String> previousId = context.history().previous().flatMap(p -> p.string(Target.KEY_ID))
                .filter(id -> !id.equals(current.require(Target.KEY_ID)));
        if (previousId.isEmpty()) {
            return RetirementResult.nothing("the previous version holds no other key");
        }
        return new StagedRetirement(context, target, api(target, services)).advance(previousId.get());
    }

    @Override
    public String credentialId(SecretValue value) {
        return value.string(Target.KEY_ID).orElse("(no key)");
    }

    /** Rollback: a revoked key cannot come back; refuses (changing nothing) if the vendor refuses it. */
    @Override
    public void restoreCredential(StepContext context) {
        SecretValue previous = context.requirePending();
        Target target = Target.resolve(previous, catalog(context.services().config()), context.services());
        KeyApi.Check check = api(target, context.services()).verify(target.keyCredential(previous, context.services()));
        if (check.verdict() == KeyApi.Verdict.UNEXPECTED) {
            throw new dev.secretrotator.InvalidInputException("cannot check the previous key " + previous.require(Target.KEY_ID)
                    + ": " + api(target, context.services()).unexpectedVerifyAnswer(check) + "; nothing was changed");
        }
        if (check.verdict() == KeyApi.Verdict.REJECTED) {
            throw new RotationStateException("the previous key " + previous.require(Target.KEY_ID) + " is refused by the vendor ("
                    + check.seen() + "): it was revoked and cannot be restored; rotate instead"
                    + (target.profile().deactivate().isPresent() ? " (or, if it is only deactivated, activate it in the"
                    + " vendor's console first, then roll back)" : ""));
        }
        // it works, so it is current again: any deactivation on record is history, not a hold to count
        context.history().clearDeactivation(previous.require(Target.KEY_ID));
    }

    /** Repair: revokes the key only an abandoned pending version holds. */
    @Override
    public void discardCredential(StepContext context) {
        Optional<String> id = context.requirePending().string(Target.KEY_ID);
        Optional<String> current = context.current().string(Target.KEY_ID);
        Optional<String> previous = context.history().previous().flatMap(p -> p.string(Target.KEY_ID));
        if (id.isPresent() && !id.equals(current) && !id.equals(previous)) {
            ProviderServices services = context.services();
            Target target = Target.resolve(context.current(), catalog(services.config()), services);
            boolean revoked = api(target, services).revokeNow(target.managementCredential(context, "repair", context.current()), id.get());
            log(services, revoked ? "revoked the key of an abandoned rotation" : "the key of an abandoned rotation was already revoked",
                    target, id.get());
        }
    }

    /** Status: exists and last use where the vendor tells it, else what one verify call with the key answers. */
    @Override
    public Map<String, String> credentialState(StepContext context, SecretValue value) {
        Optional<String> id = value.string(Target.KEY_ID);
        if (id.isEmpty()) {
            return Map.of("status", "no key");
        }
        ProviderServices services = context.services();
        Target target = Target.resolve(value, catalog(services.config()), services);
        KeyApi api = api(target, services);
        if (target.profile().lastUsed().isPresent()) {
            KeyApi.LastUse use = api.lastUsed(target.managementCredential(context, "status", context.current()), id.get());
            return use.exists() ? Map.of("status", "active", "lastUsed", use.at().map(Instant::toString).orElse("never"))
                    : Map.of("status", "revoked");
        }
        KeyApi.Check check = api.verify(target.keyCredential(value, services));
        return Map.of("status", switch (check.verdict()) {
            case AUTHENTICATES -> "active";
            case REJECTED -> "refused (revoked, or not yet propagated)";
            case INCONCLUSIVE -> "unknown (" + check.seen() + ")";
            case UNEXPECTED -> "unknown (" + check.seen() + ", which proves nothing: check the profile's verify call)";
        });
    }

    private ProfileCatalog catalog(RotatorConfig config) {
        return catalogs.apply(config.profileDirectory());
    }

    private static KeyApi api(Target target, ProviderServices services) {
        return new KeyApi(target, services.client(HttpClient.class), services.telemetry().redactor()::register);
    }

    private static SecretValue withKey(SecretValue current, KeyApi.Minted key) {
        return current.with(Target.KEY_ID, key.id()).with(Target.API_KEY, key.key());
    }

    private static void log(ProviderServices services, String message, Target target, String keyId) {
        services.telemetry().info(message, fields(target, keyId));
    }

    private static Map<String, Object> fields(Target target, String keyId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("provider", NAME);
        fields.put("profile", target.profile().name());
        fields.put("keyId", keyId);
        return fields;
    }
}
