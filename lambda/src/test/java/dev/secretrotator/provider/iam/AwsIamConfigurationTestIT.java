package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.RotationException;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * Issue 17 item 7 for aws-iam on moto (authentication on): the configuration test checks the
 * binding and that the current key still authenticates, and changes no key.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class AwsIamConfigurationTestIT {

    @Test
    void configurationTest_whenBoundAndTheCurrentKeyWorks_passes_andTouchesNoKey(MotoServer moto) {
        // GIVEN a bound user whose current key works
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = world.secret("team-a/deployer", secretFor(world));

        // WHEN the service tests the rotation configuration
        world.rotator.driver.testConfiguration(arn, false);

        // THEN no key was created, changed or deleted, and the secret was not written
        assertThat(world.keys()).hasSize(1);
        assertThat(world.iamFaults.calls("createAccessKey") + world.iamFaults.calls("deleteAccessKey")
                + world.iamFaults.calls("updateAccessKey")).isZero();
        assertThat(world.rotator.faults.calls("putSecretValue") + world.rotator.faults.calls("tagResource")).isZero();
    }

    @Test
    void configurationTest_whenTheUserIsNotBound_fails(MotoServer moto) {
        // GIVEN a secret naming a user that is not bound to it
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = world.rotator.createSecret("team-b/app", secretFor(world));

        // WHEN the service tests the rotation configuration
        Throwable failed = catchThrowable(() -> world.rotator.driver.testConfiguration(arn, true));

        // THEN the test fails, naming the missing binding
        assertThat(failed).isInstanceOf(RotationStateException.class).hasMessageContaining("step testSecret")
                .hasMessageContaining("is not bound to secret 'team-b/app'");
    }

    @Test
    void configurationTest_whenTheCurrentKeyNoLongerWorks_fails(MotoServer moto) {
        // GIVEN a bound user whose current key was deleted behind the secret's back
        IamWorld world = new IamWorld(moto, Map.of());
        Map<String, Object> value = new java.util.HashMap<>(Json.object(secretFor(world)));
        value.put("verification", Map.of("timeout", "PT3S", "consecutiveSuccesses", 1));
        String json = Json.write(value);
        String arn = world.secret("team-a/deployer", json);
        String keyId = (String) Json.object(json).get("accessKeyId");
        world.iam.deleteAccessKey(b -> b.userName(IamWorld.USER).accessKeyId(keyId));

        // WHEN the service tests the rotation configuration
        Throwable failed = catchThrowable(() -> world.rotator.driver.testConfiguration(arn, false));

        // THEN the test fails: the current credential does not work
        assertThat(failed).isInstanceOf(RotationException.class).hasMessageContaining("step testSecret");
    }

    private static String secretFor(IamWorld world) {
        AccessKey key = world.iam.createAccessKey(b -> b.userName(IamWorld.USER)).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        return Json.write(Map.of("provider", "aws-iam", "userName", IamWorld.USER,
                "accessKeyId", key.accessKeyId(), "secretAccessKey", key.secretAccessKey()));
    }
}
