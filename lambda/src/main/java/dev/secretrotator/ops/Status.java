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

/** A secret's rotation state: versions, labels, credential states, last and next rotation, retirements. */
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
     */
    public record SecretStatus(String secretId, String provider, boolean rotationEnabled, String lastRotated,
            String nextRotation, String lastOutcome, List<VersionStatus> versions, List<String> retirements, String error) {}

    /** One labelled version. */
    public record VersionStatus(String versionId, List<String> stages, String credentialId, Map<String, String> state) {}

    public SecretStatus of(String secretId) {
        try {
            return status(secretId);
        } catch (RotationException e) {
            return new SecretStatus(secretId, "", false, "", "", "unknown", List.of(), List.of(), e.reason());
        }
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
        boolean incomplete = meta.versionWith(PENDING).filter(v -> !v.equals(currentVersion)).isPresent();
        return new SecretStatus(secretId, provider.name(), meta.rotationEnabled(), text(meta.lastRotated()),
                text(meta.nextRotation()), incomplete ? "incomplete (run repair)" : "succeeded", versions,
                retirements(meta, current, context), "");
    }

    private VersionStatus version(String secretId, SecretMetadata meta, String versionId, String stage,
            RotationProvider provider, StepContext context) {
        Optional<SecretValue> value = access.version(secretId, versionId, stage);
        return new VersionStatus(versionId, meta.stagesByVersion().get(versionId),
                value.map(provider::credentialId).orElse("(no value)"),
                value.map(v -> provider.credentialState(context, v)).orElse(Map.of()));
    }

    private List<String> retirements(SecretMetadata meta, SecretValue current, StepContext context) {
        List<String> out = new ArrayList<>();
        Retirement policy = Policies.retirement(current, access.services.config());
        meta.tags().forEach((key, value) -> {
            if (key.startsWith(StoredHistory.LEDGER_PREFIX)) {
                out.add(key.substring(StoredHistory.LEDGER_PREFIX.length()) + " deactivated " + value
                        + ", deleted after " + Instant.parse(value).plus(policy.deleteAfter()));
            }
        });
        if (meta.versionWith(PREVIOUS).isPresent() && out.isEmpty()) {
            out.add("previous credential: grace period ends " + context.history().currentSince().plus(policy.gracePeriod()));
        }
        return out;
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse("");
    }
}
