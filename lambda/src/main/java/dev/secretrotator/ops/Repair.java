package dev.secretrotator.ops;

import static dev.secretrotator.engine.SecretMetadata.CURRENT;
import static dev.secretrotator.engine.SecretMetadata.PENDING;

import dev.secretrotator.RotationException;
import dev.secretrotator.engine.AllowList;
import dev.secretrotator.engine.SecretMetadata;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import java.util.Map;
import java.util.Optional;

/**
 * Diagnoses and repairs a stuck rotation: {@code AWSPENDING} left on a version that is not
 * {@code AWSCURRENT} (a failed or cancelled rotation) makes Secrets Manager refuse every later
 * rotation. Repair removes the label and any credential only that version held.
 */
public final class Repair {
    private final SecretAccess access;

    Repair(SecretAccess access) {
        this.access = access;
    }

    /**
     * What was found (and with {@code apply}, done).
     *
     * @param stuck whether an abandoned rotation was found
     * @param versionId the abandoned version, or empty
     * @param explanation what it means and what repair does, never a value
     * @param repaired whether the repair was applied
     */
    public record Diagnosis(boolean stuck, String versionId, String explanation, boolean repaired) {}

    public Diagnosis run(String secretId, boolean apply) {
        try {
            return repair(secretId, apply);
        } catch (RotationException e) {
            throw e.at("secret " + secretId + ", repair");
        }
    }

    private Diagnosis repair(String secretId, boolean apply) {
        SecretMetadata meta = access.store.describe(secretId);
        AllowList.require(access.services.config(), meta, "repair");
        Optional<String> current = meta.versionWith(CURRENT);
        Optional<String> pending = meta.versionWith(PENDING).filter(v -> !current.equals(Optional.of(v)));
        if (pending.isEmpty()) {
            return new Diagnosis(false, "", "healthy: no AWSPENDING outside AWSCURRENT, rotations can start", false);
        }
        String version = pending.get();
        Optional<SecretValue> abandoned = access.version(secretId, version, PENDING);
        String credential = abandoned.map(v -> "holding credential " + access.providers.forSecret(v).credentialId(v))
                .orElse("with no value (createSecret never completed)");
        String explanation = "version " + version + " still holds AWSPENDING, " + credential
                + ": a rotation failed or was cancelled there, and Secrets Manager refuses every new rotation until the label goes. "
                + (apply ? "Removed the label" + (abandoned.isPresent() ? "; the provider discarded what only that version held"
                                 + " (the function's log says what)." : ".")
                         : "Run repair with --apply to remove the label" + (abandoned.isPresent()
                                 ? " and let the provider discard what only that version holds." : "."));
        if (apply) {
            abandoned.ifPresent(value -> discard(secretId, meta, version, value));
            access.store.removeStage(secretId, PENDING, version);
            access.services.telemetry().warn("repaired an abandoned rotation", Map.of("secretId", secretId, "versionId", version));
        }
        return new Diagnosis(true, version, explanation, apply);
    }

    private void discard(String secretId, SecretMetadata meta, String version, SecretValue abandoned) {
        RotationProvider provider = access.providers.forSecret(abandoned);
        provider.discardCredential(access.context(secretId, meta, version, access.current(secretId), Optional.of(abandoned), false));
    }
}
