package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.IamAdmin;
import dev.secretrotator.TestRotator;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.IamClient;

/** roleArn: the provider manages the user through an assumed role (moto with authorization on). */
@ExtendWith({Moto.class, LeakCheck.class})
class CrossAccountIT {
    static final String ALLOW_ALL_IAM = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}";
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    @Test
    void roleArn_managesTheUserWithTheAssumedRolesCredentials(MotoServer moto) {
        // GIVEN a role that may manage keys, and IAM requests observed on the wire
        // (moto 5.2.1 denies every AssumeRole once authorization is on, so this runs with it off
        // and checks which credentials signed each IAM request instead)
        IamClient setup = moto.configure(IamClient.builder()).build();
        String roleArn = setup.createRole(b -> b.roleName("key-rotator").assumeRolePolicyDocument(TRUST)).role().arn();
        setup.putRolePolicy(b -> b.roleName("key-rotator").policyName("keys").policyDocument(ALLOW_ALL_IAM));
        setup.createUser(b -> b.userName("ci-deployer"));
        setup.createUser(b -> b.userName("ci-other"));
        IamAdmin.bind(setup, "ci-deployer", "iam/cross");
        IamAdmin.bind(setup, "ci-other", "iam/direct");
        List<Boolean> signedWithSession = new CopyOnWriteArrayList<>();
        ExecutionInterceptor observer = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                signedWithSession.add(context.httpRequest().firstMatchingHeader("X-Amz-Security-Token").isPresent());
            }
        };
        SdkIamClients clients = new SdkIamClients(
                b -> moto.configure(b).overrideConfiguration(c -> c.addExecutionInterceptor(observer)), b -> moto.configure(b));
        TestRotator rotator = new TestRotator(moto, Map.of(), ProviderServices.builder().client(IamClients.class, () -> clients));
        String viaRole = rotator.createSecret("iam/cross", Json.write(Map.of("provider", "aws-iam", "userName", "ci-deployer",
                "roleArn", roleArn)));

        // WHEN the secret naming the role rotates
        rotator.driver.rotate(viaRole);

        // THEN every IAM request was signed with the role's session credentials
        assertThat(Json.object(rotator.value(viaRole, "AWSCURRENT"))).containsKey("accessKeyId");
        assertThat(signedWithSession).isNotEmpty().containsOnly(true);

        // AND a secret without a role uses the function's own credentials
        signedWithSession.clear();
        String direct = rotator.createSecret("iam/direct", Json.write(Map.of("provider", "aws-iam", "userName", "ci-other")));
        rotator.driver.invoke("createSecret", direct, rotator.driver.startRotation(direct));
        assertThat(signedWithSession).isNotEmpty().containsOnly(false);
    }

    @Test
    void malformedRoleArn_isRefusedBeforeAnyCall(MotoServer moto) {
        TestRotator rotator = new TestRotator(moto);
        String arn = rotator.createSecret("iam/bad-role", Json.write(Map.of("provider", "aws-iam", "userName", "ci", "roleArn", "key-rotator")));

        Throwable refused = catchThrowable(() -> rotator.driver.invoke("createSecret", arn, rotator.driver.startRotation(arn)));

        assertThat(refused).hasMessageContaining("field \"roleArn\" must be an IAM role ARN");
    }

    @Test
    void iamClients_useTheGlobalRegion() {
        SdkIamClients clients = new SdkIamClients(b -> b, b -> b.region(software.amazon.awssdk.regions.Region.EU_WEST_1));

        try (IamClient iam = clients.iam(java.util.Optional.empty())) {
            assertThat(iam.serviceClientConfiguration().region().id()).isEqualTo("aws-global");
        }
    }
}
