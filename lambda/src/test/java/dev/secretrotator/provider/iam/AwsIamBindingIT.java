package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.IamAdmin;
import dev.secretrotator.RotationStateException;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Issue 13 item 8 on moto: a secret cannot aim the function at another team's IAM user. The user
 * must carry the tag {@code secret-rotator:secret} naming the secret; otherwise nothing changes.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class AwsIamBindingIT {

    @Test
    void createSecret_whenTheUserHasNoBindingTag_refusesNamingTheTag_andCreatesNothing(MotoServer moto) {
        // GIVEN a secret naming a user that carries no binding tag
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = world.rotator.createSecret("team-b/app", secretFor(world));
        String token = world.rotator.driver.startRotation(arn);

        // WHEN createSecret runs
        Throwable refused = catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token));

        // THEN it is refused, saying which tag to add, and the user's keys are as they were
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining("step createSecret")
                .hasMessageContaining("IAM user '" + IamWorld.USER + "' is not bound to secret 'team-b/app'")
                .hasMessageContaining("has no tag secret-rotator:secret")
                .hasMessageContaining("aws iam tag-user --user-name " + IamWorld.USER
                        + " --tags Key=secret-rotator:secret,Value=team-b/app");
        assertThat(world.keys()).hasSize(1);
        assertThat(world.iamFaults.calls("createAccessKey") + world.iamFaults.calls("deleteAccessKey")
                + world.iamFaults.calls("updateAccessKey")).isZero();
    }

    @Test
    void createSecret_whenTheUserIsBoundToAnotherSecret_refuses_andChangesNothing(MotoServer moto) {
        // GIVEN team A's user, bound to team A's secret, and team B's secret rewritten to name it
        IamWorld world = new IamWorld(moto, Map.of());
        IamAdmin.bind(world.iam, IamWorld.USER, "team-a/deployer");
        String arn = world.rotator.createSecret("team-b/app", secretFor(world));
        String token = world.rotator.driver.startRotation(arn);

        // WHEN team B's secret rotates
        Throwable refused = catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token));

        // THEN it is refused and team A's user is untouched
        assertThat(refused).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("its tag secret-rotator:secret names 'team-a/deployer'");
        assertThat(world.keys()).hasSize(1);
        assertThat(world.iamFaults.calls("createAccessKey")).isZero();
    }

    @Test
    void sweep_whenTheUserIsNoLongerBound_failsForThatSecret_andChangesNoKey(MotoServer moto) {
        // GIVEN a rotated secret past its grace period whose user was then bound to another secret
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = world.secret("team-b/app", secretFor(world));
        world.rotator.driver.rotate(arn);
        String previousId = (String) Json.object(world.rotator.value(arn, "AWSPREVIOUS")).get("accessKeyId");
        IamAdmin.bind(world.iam, IamWorld.USER, "team-a/deployer");
        world.clock.advance(Duration.ofHours(30));

        // WHEN the sweep runs
        String report = world.rotator.sweep(arn);

        // THEN it reports the refusal, and the previous key is still active
        assertThat(report).contains("FAILED").contains("retirement sweep").contains("Value=team-b/app");
        assertThat(world.keys()).hasSize(2).allMatch(k -> k.status() == StatusType.ACTIVE);
        assertThat(world.iamFaults.calls("updateAccessKey") + world.iamFaults.calls("deleteAccessKey")).isZero();
    }

    @Test
    void userBoundByTheSecretsArn_rotates(MotoServer moto) {
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = world.secret("team-b/app", secretFor(world));

        world.rotator.driver.rotate(arn);

        assertThat(world.keys()).hasSize(2);
    }

    private static String secretFor(IamWorld world) {
        AccessKey key = world.iam.createAccessKey(b -> b.userName(IamWorld.USER)).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        return Json.write(Map.of("provider", "aws-iam", "userName", IamWorld.USER,
                "accessKeyId", key.accessKeyId(), "secretAccessKey", key.secretAccessKey()));
    }
}
