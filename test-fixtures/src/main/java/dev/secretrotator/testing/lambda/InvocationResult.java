package dev.secretrotator.testing.lambda;

import java.util.Objects;
import java.util.Optional;

/**
 * What a runtime posted for one invocation: the handler's response, or an error with the
 * {@code Lambda-Runtime-Function-Error-Type} header (absent if the runtime sent none).
 *
 * @param requestId the invocation's {@code Lambda-Runtime-Aws-Request-Id}
 * @param outcome   {@link Outcome#RESPONSE} for {@code .../response}, {@link Outcome#ERROR} for {@code .../error}
 * @param body      the posted body, as UTF-8 text
 * @param errorType the error-type header of an error, empty for a response
 */
public record InvocationResult(String requestId, Outcome outcome, String body, Optional<String> errorType) {
    /** Which of the two result routes the runtime posted to. */
    public enum Outcome { RESPONSE, ERROR }

    public InvocationResult {
        Objects.requireNonNull(requestId, "requestId must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
        Objects.requireNonNull(body, "body must not be null");
        Objects.requireNonNull(errorType, "errorType must not be null");
    }

    public boolean isResponse() {
        return outcome == Outcome.RESPONSE;
    }
}
