package dev.secretrotator.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * One rotation step to run.
 *
 * @param step the step
 * @param secretId the secret as Secrets Manager named it in the event (usually its ARN)
 * @param clientRequestToken the version id of the rotation's pending version
 * @param rotationToken Secrets Manager's sensitive rotation token, if present; never logged and
 *     never shown by {@link #toString()}
 *
 * <p>There is no emergency flag: Secrets Manager's events cannot carry one. An emergency
 * rotation ({@code ops.Emergency}) runs the ordinary steps, then revokes through the sweep.
 */
public record RotationRequest(
        Step step, String secretId, String clientRequestToken, Optional<String> rotationToken) {

    public RotationRequest {
        Objects.requireNonNull(step, "step must not be null");
        Objects.requireNonNull(secretId, "secretId must not be null");
        Objects.requireNonNull(clientRequestToken, "clientRequestToken must not be null");
        Objects.requireNonNull(rotationToken, "rotationToken must not be null (use Optional.empty())");
    }

    /** Where a failure of this step happened, for error messages. */
    public String where() {
        return "secret " + secretId + ", step " + step + ", version " + clientRequestToken;
    }

    @Override
    public String toString() {
        return "RotationRequest[" + where() + (rotationToken.isPresent() ? ", rotationToken=***" : "") + "]";
    }
}
