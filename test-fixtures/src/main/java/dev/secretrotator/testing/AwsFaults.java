package dev.secretrotator.testing;

import java.net.SocketTimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The failures an AWS SDK call surfaces once its own retries are spent, as the SDK builds them:
 * for a {@link FaultInjector} (which sits outside the SDK client, so what it throws is what the
 * caller would see).
 */
public final class AwsFaults {
    private AwsFaults() {}

    /** What went wrong. */
    public enum Kind {
        /** HTTP 400 with the service's throttling code. */
        THROTTLING,
        /** HTTP 500, an internal error. */
        SERVER_ERROR,
        /** HTTP 503, the service unavailable. */
        UNAVAILABLE,
        /** No answer in time: a socket read timeout. */
        READ_TIMEOUT,
        /** The SDK's whole-call timeout. */
        CALL_TIMEOUT
    }

    /**
     * @param service the service's exception builder, e.g. {@code SecretsManagerException::builder}
     * @param serviceName the service's name in error details, e.g. {@code SecretsManager}
     * @param throttlingCode the service's throttling error code ({@code ThrottlingException}, IAM's
     *     {@code Throttling})
     */
    public static RuntimeException of(Kind kind, Supplier<? extends AwsServiceException.Builder> service,
            String serviceName, String throttlingCode) {
        return switch (kind) {
            case THROTTLING -> error(service.get(), serviceName, 400, throttlingCode, "Rate exceeded");
            case SERVER_ERROR -> error(service.get(), serviceName, 500, "InternalFailure", "An internal error occurred");
            case UNAVAILABLE -> error(service.get(), serviceName, 503, "ServiceUnavailable", "Service is unavailable");
            case READ_TIMEOUT -> SdkClientException.builder().message("Unable to execute HTTP request: Read timed out")
                    .cause(new SocketTimeoutException("Read timed out")).build();
            case CALL_TIMEOUT -> ApiCallTimeoutException.create(25_000);
        };
    }

    private static AwsServiceException error(AwsServiceException.Builder builder, String serviceName, int status,
            String code, String message) {
        return builder.message(message).statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(serviceName).build())
                .build();
    }
}
