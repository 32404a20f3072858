package dev.secretrotator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Issue 15 item 4: with SnapStart, Secrets Manager invokes the function's {@code live} alias, so a
 * secret's {@code RotationLambdaARN} is {@code ...:function:<name>:live}. The sweep and status must
 * still recognise the secret as this function's.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class SnapStartAliasIT {
    static final String ALIAS_ARN = ServiceDriver.FUNCTION_ARN + ":live";
    static final String FUNCTION_NAME = "secret-rotator-under-test";

    TestRotator setup;
    String viaAlias;
    String ofAnotherFunction;

    @BeforeEach
    void setUp(MotoServer moto) {
        setup = new TestRotator(moto);
        viaAlias = rotatedBy("platform/db", ALIAS_ARN);
        ofAnotherFunction = rotatedBy("platform/api", ServiceDriver.FUNCTION_ARN + "-other:live");
    }

    @Test
    void sweep_inTagMode_sweepsTheSecretsRotatedThroughTheLiveAlias() {
        // GIVEN the deployed function, its secrets selected by tag
        Operations ops = operations(Map.of("ROTATOR_SECRET_TAG", "rotation-deployment=platform",
                "AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME));

        // WHEN / THEN
        assertThat(ops.sweep().managedSecrets()).containsExactly(viaAlias);
    }

    @Test
    void status_ofTheFunction_listsTheSecretsRotatedThroughTheLiveAlias() {
        // GIVEN status run for the function, no selector
        Operations ops = operations(Map.of());

        // WHEN / THEN
        assertThat(ops.status().candidates(Optional.of(FUNCTION_NAME))).containsExactly(viaAlias);
    }

    /** A secret whose rotation is configured with {@code lambdaArn} (moto cannot invoke it, and leaves the configuration). */
    private String rotatedBy(String name, String lambdaArn) {
        String arn = setup.client.createSecret(b -> b.name(name).secretString("{\"provider\":\"random-password\",\"password\":\"p\"}")
                .tags(Tag.builder().key("rotation-deployment").value("platform").build())).arn();
        try {
            setup.client.rotateSecret(b -> b.secretId(arn).rotationLambdaARN(lambdaArn).rotateImmediately(false)
                    .rotationRules(r -> r.automaticallyAfterDays(30L)));
        } catch (ResourceNotFoundException expected) {
            // moto looks the function up; the rotation configuration is stored all the same
        }
        return arn;
    }

    private Operations operations(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(TestRotator.testEnv(env));
        return Components.of(ProviderServices.builder().config(RotatorConfig.fromEnv(all)).telemetry(Telemetry.stdout())
                .client(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.class, () -> setup.client).build())
                .operations();
    }
}
