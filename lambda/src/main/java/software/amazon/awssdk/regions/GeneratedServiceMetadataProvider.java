package software.amazon.awssdk.regions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.servicemetadata.EventsServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.IamServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SecretsmanagerServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.StsServiceMetadata;

/**
 * Cold-start shim (secret-rotator): replaces the SDK's generated provider of the same name,
 * whose static initializer instantiates the metadata of every AWS service (about 300 classes,
 * 350-500 ms of a cold start; aws-sdk-java-v2 issue 3664, fixed upstream by PR 7161 in SDK
 * versions not yet served to our build). This one creates only the metadata of the services the
 * function calls, on first use. Any other service gets {@code null}, for which
 * {@link ServiceMetadata#of} falls back to {@link DefaultServiceMetadata}, as it does for every
 * service newer than the SDK. The shaded jar excludes the SDK's class; remove this file when the
 * SDK is upgraded past the fix. {@code ServiceMetadataShimTest} checks the list against the clients
 * the function builds.
 */
public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {
    private static final Map<String, Supplier<ServiceMetadata>> FACTORIES = Map.of(
            "secretsmanager", SecretsmanagerServiceMetadata::new,
            "iam", IamServiceMetadata::new,
            "sts", StsServiceMetadata::new,
            "events", EventsServiceMetadata::new);
    private static final Map<String, ServiceMetadata> CACHE = new ConcurrentHashMap<>();

    @Override
    public ServiceMetadata serviceMetadata(String endpointPrefix) {
        Supplier<ServiceMetadata> factory = FACTORIES.get(endpointPrefix);
        return factory == null ? null : CACHE.computeIfAbsent(endpointPrefix, k -> factory.get());
    }
}
