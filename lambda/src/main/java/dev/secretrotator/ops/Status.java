package dev.secretrotator.ops;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PENDING;
import static dev.secretrotator.engine.SecretMetadata.PREVIOUS;

import dev.secretrotator.RotationException;
import dev.secretrotator.config.Retirement;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.engine.StoredHistory;
import dev.secretrotator.provider.Policies;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A secret's rotation state: versions, labels, credential states, last and next rotation,
 * retirements, and its health: {@code healthy}, {@code stuck} (an {@code AWSPENDING} version left
 * by a failed rotation), {@code misconfigured} (a value no provider can rotate, with the reason),
 * {@code overdue} (past its scheduled rotation), {@code unreadable} (the call to read it failed)
 * or {@code disabled} (rotation off). Read-only: makes no write call.
 */
public final class Status {
    private final SecretAccess access;

    Status(SecretAccess access) {
        this.access = access;
    }

    /**
     * One secret's status (JSON-writable; no values).
     *
     * @param lastOutcome {@code succeeded}, or {@code incomplete} when a version other than the
     *     current one holds {@code AWSPENDING}
     * @param error why the secret could not be read or rotated, or empty
     * @param health one of {@link #HEALTHY}, {@link #STUCK}, {@link #MISCONFIGURED}, {@link #OVERDUE},
     *     {@link #UNREADABLE}, {@link #DISABLED}
     * @param reason what the health means for this secret and what to do, or empty when healthy
     */
    public record SecretStatus(String secretId, String provider, boolean rotationEnabled, String lastRotated,
            String nextRotation, String lastOutcome, List<VersionStatus> versions, List<String> retirements, String error,
            String health, String reason) {

        /** Whether an operator must act: stuck, misconfigured, overdue or unreadable. */
        public boolean needsAttention() {
            return !health.equals(HEALTHY) && !health.equals(DISABLED);
        }
    }

    public static final String HEALTHY = "healthy";
    public static final String STUCK = "stuck";
    public static final String MISCONFIGURED = "misconfigured";
    public static final String OVERDUE = "overdue";
    public static final String UNREADABLE = "unreadable";
    public static final String DISABLED = "disabled";

    /** One labelled version. */
    public record VersionStatus(String versionId, List<String> stages, String credentialId, Map<String, String> state) {}

    public SecretStatus of(String secretId) {
        return of(secretId, RotationException::reason);
    }

    /**
     * @param explain turns a failure to read the secret into the reason shown (the CLI names the
     *     endpoint, the missing permission and the principal)
     */
    public SecretStatus of(String secretId, java.util.function.Function<RotationException, String> explain) {
        try {
            return status(secretId);
        } catch (dev.secretrotator.InvalidInputException | dev.secretrotator.ConfigurationException e) {
            return new SecretStatus(secretId, "", true, "", "", "unknown", List.of(), List.of(), e.reason(),
                    MISCONFIGURED, e.reason() + "; fix the secret's value (or its configuration) before the next rotation");
        } catch (RotationException e) {
            String reason = explain.apply(e);
            return new SecretStatus(secretId, "", false, "", "", "unknown", List.of(), List.of(), reason, UNREADABLE, reason);
        }
    }

    /**
     * The secrets status reports when none is named: every secret with rotation enabled whose
     * rotation function is {@code function} (when given), plus every secret the allow-list and
     * selector tag cover (ListSecrets, all pages; narrowed by {@link Selection} when no function is
     * given); with neither, every secret with rotation enabled. Broken ones are included: that
     * is the point.
     */
    public List<String> candidates(Optional<String> function) {
        // with a function, unfiltered: a secret that uses it but lacks the selector is broken, and shown
        return access.store.rotatingSecrets(function.isPresent() ? List.of() : Selection.filters(access.services.config()))
                .stream()
                .filter(s -> covered(s, function))
                .map(SecretMetadata::arn)
                .toList();
    }

    private boolean covered(SecretMetadata secret, Optional<String> function) {
        boolean selector = Selection.hasSelector(access.services.config());
        boolean byFunction = function.isPresent() && secret.rotatedBy(function.get());
        boolean bySelector = selector && access.services.config().secretAllowed(secret.arn(), secret.tags());
        return byFunction || bySelector || (function.isEmpty() && !selector);
    }

    private SecretStatus status(String secretId) {
        SecretMetadata meta = access.store.describe(secretId);
        SecretValue current = access.current(secretId);
        RotationProvider provider = access.providers.forSecret(current);
        String currentVersion = meta.versionWith(CURRENT).orElse("");
        StepContext context = access.context(secretId, meta, currentVersion, current, Optional.empty(), false);
        List<VersionStatus> versions = new ArrayList<>();
        for (String stage : List.of(CURRENT, PENDING, PREVIOUS)) {
            meta.versionWith(stage).filter(v -> versions.stream().noneMatch(s -> s.versionId().equals(v)))
                    .ifPresent(v -> versions.add(version(secretId, meta, v, stage, provider, context)));
        }
        Optional<String> stuck = meta.versionWith(PENDING).filter(v -> !v.equals(currentVersion));
        String[] health = health(secretId, meta, stuck);
        return new SecretStatus(secretId, provider.name(), meta.rotationEnabled(), text(meta.lastRotated()),
                text(meta.nextRotation()), stuck.isPresent() ? "incomplete (run repair)" : "succeeded", versions,
                retirements(meta, current, context, provider), "", health[0], health[1]);
    }

    private String[] health(String secretId, SecretMetadata meta, Optional<String> stuck) {
        if (stuck.isPresent()) {
            return new String[] {STUCK, "version " + stuck.get() + " still holds AWSPENDING from a failed or cancelled rotation;"
                    + " Secrets Manager refuses new rotations until it goes: run repair " + secretId + " --apply"};
        }
        if (!meta.rotationEnabled()) {
            return new String[] {DISABLED, "rotation is off for this secret"};
        }
        Instant now = access.services.clock().instant();
        if (meta.nextRotation().filter(next -> next.isBefore(now)).isPresent()) {
            return new String[] {OVERDUE, "its scheduled rotation (" + meta.nextRotation().get() + ") has passed without a"
                    + " rotation; check the rotation function's log and CloudTrail for RotationFailed"};
        }
        return new String[] {HEALTHY, ""};
    }

    private VersionStatus version(String secretId, SecretMetadata meta, String versionId, String stage,
            RotationProvider provider, StepContext context) {
        Optional<SecretValue> value = access.version(secretId, versionId, stage);
        return new VersionStatus(versionId, meta.stagesByVersion().get(versionId),
                value.map(provider::credentialId).orElse("(no value)"),
                value.map(v -> provider.credentialState(context, v)).orElse(Map.of()));
    }

    private List<String> retirements(SecretMetadata meta, SecretValue current, StepContext context, RotationProvider provider) {
        List<String> out = new ArrayList<>();
        Retirement policy = Policies.retirement(current, access.services.config());
        meta.tags().forEach((key, value) -> {
            if (key.startsWith(StoredHistory.LEDGER_PREFIX)) {
                out.add(key.substring(StoredHistory.LEDGER_PREFIX.length()) + " deactivated " + value
                        + ", deleted after " + Instant.parse(value).plus(policy.deleteAfter()));
            }
        });
        if (meta.versionWith(PREVIOUS).isPresent() && out.isEmpty() && provider.keepsPreviousCredential()) {
            out.add("previous credential: grace period ends " + context.history().currentSince().plus(policy.gracePeriod()));
        }
        return out;
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse("");
    }
}
