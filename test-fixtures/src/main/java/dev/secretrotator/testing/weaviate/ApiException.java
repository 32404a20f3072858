package dev.secretrotator.testing.weaviate;

/**
 * An HTTP error outcome raised by the store or a handler and turned into a {@link Reply} by the server.
 *
 * <p>{@link #withError} answers with the spec's {@code ErrorResponse} body; {@link #bare} answers with an
 * empty body, for the status codes the spec documents without a schema (404, 409, ...).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean errorBody;

    private ApiException(int status, String message, boolean errorBody) {
        super(message, null, false, false);
        this.status = status;
        this.errorBody = errorBody;
    }

    /** An error answered with {@code {"error":[{"message": message}]}}. */
    static ApiException withError(int status, String message) {
        return new ApiException(status, message, true);
    }

    /** An error answered with an empty body; the message is for diagnostics only. */
    static ApiException bare(int status, String message) {
        return new ApiException(status, message, false);
    }

    int status() {
        return status;
    }

    Reply toReply() {
        return errorBody ? Reply.error(status, getMessage()) : Reply.empty(status);
    }
}
