package dev.secretrotator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.DefaultServiceMetadata;
import software.amazon.awssdk.regions.GeneratedServiceMetadataProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

class ServiceMetadataShimTest {

    @Test
    void everyServiceTheFunctionCalls_hasItsRealMetadata() {
        // the SDK clients the function builds (AwsClients, SdkIamClients); add new ones here
        List<String> used = List.of(SecretsManagerClient.SERVICE_METADATA_ID, IamClient.SERVICE_METADATA_ID,
                StsClient.SERVICE_METADATA_ID, EventBridgeClient.SERVICE_METADATA_ID);

        for (String id : used) {
            assertThat(ServiceMetadata.of(id)).as(id).isNotInstanceOf(DefaultServiceMetadata.class);
        }
        assertThat(ServiceMetadata.of("iam").signingRegion(Region.AWS_GLOBAL)).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void otherServices_fallBackToDefaultMetadata_withoutLoadingTheirClasses() {
        assertThat(new GeneratedServiceMetadataProvider().serviceMetadata("s3")).isNull();
        assertThat(ServiceMetadata.of("s3")).isInstanceOf(DefaultServiceMetadata.class);
    }

    @Test
    void theShimIsTheClassOnTheClassPath() {
        assertThat(GeneratedServiceMetadataProvider.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .doesNotContain("regions-2.");
    }
}
