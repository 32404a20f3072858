package dev.secretrotator.ops;

import dev.secretrotator.RotationException;
import dev.secretrotator.engine.AllowList;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.SecretStore;
import dev.secretrotator.engine.StoredHistory;
import dev.secretrotator.engine.Unexpected;
import dev.secretrotator.provider.ProviderRegistry;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The retirement sweep: for each secret, lets its provider advance the previous credential one
 * stage (design.md §4, retirement lifecycle). One secret's failure does not stop the others; it
 * is reported, logged and counted ({@code SweepFailed}). A secret outside the allow-list
 * ({@code ROTATOR_ALLOWED_SECRET_ARNS}) is reported {@code REFUSED} and left untouched. A
 * credential still in use raises {@code StaleCredentialInUse}. The current credential is never touched.
 */
public final class Sweep {
    private final SecretStore store;
    private final ProviderRegistry providers;
    private final ProviderServices services;

    public Sweep(SecretStore store, ProviderRegistry providers, ProviderServices services) {
        this.store = store;
        this.providers = providers;
        this.services = services;
    }

    /**
     * One line of the sweep's report.
     *
     * @param secretId the secret as named
     * @param provider its provider, or empty when it could not be read
     * @param action what happened ({@link RetirementResult.Action} name, {@code REFUSED} for a secret
     *     outside the allow-list, or {@code FAILED})
     * @param credentialId the previous credential's non-secret id, or empty
     * @param detail an explanation, never a value
     */
    public record Line(String secretId, String provider, String action, String credentialId, String detail) {}

    /**
     * Every secret with rotation enabled whose rotation function is this one (by
     * {@link dev.secretrotator.config.RotatorConfig#functionName()}; outside Lambda, every secret
     * with rotation enabled whose value names a known provider), among those the allow-list and the
     * selector tag admit. ListSecrets is narrowed by the deployment's selector ({@link Selection}),
     * all pages, then checked exactly. A secret outside the selector is not enumerated (its rotation
     * steps are refused and alarm); named in {@code secretIds}, it is reported REFUSED.
     */
    public List<String> managedSecrets() {
        Optional<String> function = services.config().functionName();
        return store.rotatingSecrets(Selection.filters(services.config())).stream()
                .filter(s -> services.config().secretAllowed(s.arn(), s.tags()))
                .filter(s -> function.isEmpty() || s.rotatedBy(function.get()))
                .map(SecretMetadata::arn)
                .filter(arn -> function.isPresent() || namesKnownProvider(arn))
                .toList();
    }

    private boolean namesKnownProvider(String arn) {
        try {
            return SecretValue.parse(store.valueAt(arn, SecretMetadata.CURRENT)).string("provider")
                    .filter(providers.names()::contains).isPresent();
        } catch (RotationException notOurs) {
            return false;
        }
    }

    /** Sweeps the given secrets; never throws for one secret's failure. */
    public List<Line> run(List<String> secretIds, boolean emergency) {
        List<Line> report = new ArrayList<>();
        for (String secretId : secretIds) {
            report.add(sweepOne(secretId, emergency));
        }
        return report;
    }

    /**
     * Retires (or with {@code emergency}, revokes) one secret's previous credential.
     *
     * @throws dev.secretrotator.RotationStateException for a secret outside the allow-list, before any change
     * @throws RotationException on any other failure
     */
    public RetirementResult retire(String secretId, boolean emergency) {
        SecretMetadata meta = store.describe(secretId);
        AllowList.require(services.config(), meta, emergency ? "revoke credentials of" : "sweep");
        SecretValue current = currentValue(secretId);
        return retire(secretId, meta, current, providers.forSecret(current), emergency);
    }

    private SecretValue currentValue(String secretId) {
        SecretValue current = SecretValue.parse(store.valueAt(secretId, SecretMetadata.CURRENT));
        current.sensitiveValues().forEach(services.telemetry().redactor()::register);
        return current;
    }

    private RetirementResult retire(String secretId, SecretMetadata meta, SecretValue current, RotationProvider provider,
            boolean emergency) {
        String currentVersion = meta.versionWith(SecretMetadata.CURRENT).orElse("");
        StepContext context = new StepContext(secretId, meta.arn(), currentVersion, current, Optional.empty(),
                Optional.empty(), emergency, StoredHistory.recording(store, secretId,
                v -> v.sensitiveValues().forEach(services.telemetry().redactor()::register), services.clock())
                        .startingFrom(meta), services); // meta: described just now, nothing written since
        return provider.retire(context);
    }

    private Line sweepOne(String secretId, boolean emergency) {
        Telemetry telemetry = services.telemetry();
        String provider = "";
        try {
            SecretMetadata meta = store.describe(secretId);
            if (!services.config().secretAllowed(meta.arn(), meta.tags())) {
                return refused(secretId, meta.arn());
            }
            SecretValue current = currentValue(secretId);
            RotationProvider rotationProvider = providers.forSecret(current);
            provider = rotationProvider.name();
            RetirementResult result = retire(secretId, meta, current, rotationProvider, emergency);
            Line line = new Line(secretId, provider, result.action().name(), result.credentialId(), result.detail());
            record(line, result);
            return line;
        } catch (RotationException e) {
            return failed(secretId, provider, e.at("secret " + secretId + ", sweep").reason());
        } catch (RuntimeException e) {
            return failed(secretId, provider, Unexpected.wrap(e, telemetry).reason());
        }
    }

    private void record(Line line, RetirementResult result) {
        Telemetry telemetry = services.telemetry();
        Map<String, String> dims = Map.of("Provider", line.provider());
        if (result.action() == RetirementResult.Action.STILL_IN_USE) {
            telemetry.warn("previous credential still in use: not retired", fields(line));
            telemetry.metric("StaleCredentialInUse", 1, "Count", dims);
        } else {
            telemetry.info("sweep", fields(line));
        }
        if (result.changed()) {
            telemetry.metric("CredentialRetired", 1, "Count", dims);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("secretArn", line.secretId());
            detail.put("provider", line.provider());
            detail.put("credentialId", line.credentialId());
            detail.put("action", line.action());
            services.client(RotationEvents.class).publish(RotationEvents.RETIRED, detail);
        }
    }

    private Line refused(String secretId, String arn) {
        Line line = new Line(secretId, "", "REFUSED", "", "this function may not sweep " + arn
                + ": " + AllowList.reason(services.config(), arn) + "; nothing was changed");
        services.telemetry().error("sweep refused a secret outside the allow-list", fields(line));
        services.telemetry().metric("SweepFailed", 1, "Count", Map.of("Provider", "unknown"));
        return line;
    }

    private Line failed(String secretId, String provider, String reason) {
        Line line = new Line(secretId, provider, "FAILED", "", reason);
        services.telemetry().error("sweep failed for a secret", fields(line));
        services.telemetry().metric("SweepFailed", 1, "Count", Map.of("Provider", provider.isEmpty() ? "unknown" : provider));
        return line;
    }

    static Map<String, Object> fields(Line line) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("secretId", line.secretId());
        f.put("provider", line.provider());
        f.put("action", line.action());
        f.put("credentialId", line.credentialId());
        f.put("detail", line.detail());
        return f;
    }
}
