package dev.secretrotator.engine;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.provider.SecretValue;
import java.util.Optional;

/**
 * Tells Secrets Manager's configuration test from a rotation.
 *
 * <p>With {@code RotateImmediately=false} (a {@code RotateSecret} call or a CloudFormation
 * rotation schedule that does not rotate at once), the service does not rotate: it "tests the
 * rotation configuration by running the testSecret step", for which it "creates an AWSPENDING
 * version of the secret and then removes it" (RotateSecret API reference). createSecret is not
 * invoked, so that version holds no value of ours: it is either empty, or the service's copy of
 * the {@code AWSCURRENT} value (the documentation does not say which; moto copies the value).
 *
 * <p>The rule: testSecret runs the configuration test when the pending version
 * <ul>
 *   <li>holds exactly the current value: our createSecret never stores that, since it always
 *       stores a new credential; or</li>
 *   <li>holds no value, and no createSecret of this function was ever attempted for this version.
 *       createSecret records each attempt in the secret's tag {@link #ATTEMPT_TAG} (the version
 *       id, which is not sensitive) before it creates anything, so a rotation whose createSecret
 *       ran and failed is told apart: there testSecret still fails ("createSecret has not
 *       completed"), and so does finishSecret in every case.</li>
 * </ul>
 * In a real rotation the service invokes testSecret only after a createSecret that succeeded, so
 * the only other way to reach the second case is a testSecret invoked by hand before createSecret;
 * it is then a harmless configuration test as well (read-only, and finishSecret still refuses).
 *
 * <p>Stateless, thread-safe.
 */
final class ConfigurationTestRule {
    /** The secret tag naming the last version whose createSecret this function attempted. */
    static final String ATTEMPT_TAG = "secret-rotator:create-attempt";

    private ConfigurationTestRule() {}

    /**
     * Whether testSecret of {@code request} is the configuration test.
     *
     * @param stored the value of the pending version, if it has one
     */
    static boolean applies(RotationRequest request, SecretMetadata meta, SecretValue current, Optional<String> stored) {
        if (stored.isEmpty()) {
            return !request.clientRequestToken().equals(meta.tags().get(ATTEMPT_TAG));
        }
        return isCopyOf(stored.get(), current);
    }

    /**
     * Records that createSecret is about to create for {@code request}'s version (one
     * {@code TagResource}, skipped when the tag already names the version, as on a retry).
     */
    static void recordAttempt(SecretStore store, RotationRequest request, SecretMetadata meta) {
        if (!request.clientRequestToken().equals(meta.tags().get(ATTEMPT_TAG))) {
            store.tag(request.secretId(), ATTEMPT_TAG, request.clientRequestToken());
        }
    }

    private static boolean isCopyOf(String stored, SecretValue current) {
        try {
            return SecretValue.parse(stored).toJson().equals(current.toJson());
        } catch (InvalidInputException notJson) {
            return false; // not a copy of the current (JSON) value; verifying it reports the problem
        }
    }
}
