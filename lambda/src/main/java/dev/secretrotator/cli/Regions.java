package dev.secretrotator.cli;

import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** The AWS environment the CLI checks before its first call, so a missing setting is named, not dumped. */
final class Regions {
    private Regions() {}

    /**
     * Fails with a message naming {@code AWS_REGION} when no region can be found (environment,
     * system property, profile).
     */
    static void require(Map<String, String> env) {
        if (present(env.get("AWS_REGION")) || present(env.get("AWS_DEFAULT_REGION")) || present(System.getProperty("aws.region"))) {
            return;
        }
        try {
            new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new UsageException("no AWS region is set: set AWS_REGION (for example export AWS_REGION=us-east-1),"
                    + " or a region in the AWS profile you use (AWS_PROFILE)");
        }
    }

    /** The endpoint override in use ({@code AWS_ENDPOINT_URL} or {@code aws.endpointUrl}), or empty. */
    static String endpoint() {
        String property = System.getProperty("aws.endpointUrl");
        String env = System.getenv("AWS_ENDPOINT_URL");
        return present(property) ? property : present(env) ? env : "";
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
