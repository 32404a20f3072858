package dev.secretrotator.provider.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.engine.StoredHistory;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * Issue 13 item 6 on moto: createSecret never deletes an active key. When the user has no free
 * slot, the other key is deactivated first and deleted only after its hold ({@code deleteAfter}).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class AwsIamKeyRoomIT {
    static final String QUIET_AT_ONCE = "{\"retirement\":{\"gracePeriod\":\"PT0S\",\"quietPeriod\":\"PT0S\"}}";

    @Test
    void createSecret_withTwoKeys_deactivatesTheOtherKey_refusesUntilItsHoldEnds_thenDeletesIt(MotoServer moto) {
        // GIVEN a rotated secret (current and previous key) whose previous key nobody uses any more
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, QUIET_AT_ONCE);
        world.rotator.driver.rotate(arn);
        String previousId = keyId(world, arn, "AWSPREVIOUS");
        String token = world.rotator.driver.startRotation(arn);

        // WHEN the next createSecret runs THEN it deactivates the previous key, deletes nothing, creates nothing
        Throwable refused = catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token));
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining(previousId)
                .hasMessageContaining("deactivated now").hasMessageContaining("PT48H").hasMessageContaining("no key was created");
        assertThat(world.keys()).hasSize(2);
        assertThat(status(world, previousId)).isEqualTo(StatusType.INACTIVE);
        assertThat(ledger(world, arn, previousId)).isNotNull();

        // WHEN it is retried within the hold THEN it refuses again, saying when the key can go
        world.clock.advance(Duration.ofHours(47));
        assertThat(catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token)))
                .isInstanceOf(RotationStateException.class).hasMessageContaining(previousId).hasMessageContaining("held before deletion");
        assertThat(world.keys()).hasSize(2);

        // WHEN it is retried after the hold THEN the inactive key is deleted and the rotation completes
        world.clock.advance(Duration.ofHours(2));
        world.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
        assertThat(world.rotator.stages(arn).get(token)).containsExactly("AWSCURRENT");
        assertThat(world.keys()).hasSize(2).noneMatch(k -> k.accessKeyId().equals(previousId));
        assertThat(ledger(world, arn, previousId)).isNull();
    }

    @Test
    void createSecret_whenTheOtherKeyWasDeactivatedByHand_holdsItFromFirstSight(MotoServer moto) {
        // GIVEN the previous key deactivated by someone else, long ago by the clock, with no ledger entry
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, QUIET_AT_ONCE);
        world.rotator.driver.rotate(arn);
        String previousId = keyId(world, arn, "AWSPREVIOUS");
        world.iam.updateAccessKey(b -> b.userName(IamWorld.USER).accessKeyId(previousId).status(StatusType.INACTIVE));
        world.clock.advance(Duration.ofDays(10));
        String token = world.rotator.driver.startRotation(arn);

        // WHEN createSecret runs THEN it records the key as inactive from now and keeps it
        java.time.Instant before = world.clock.instant();
        Throwable refused = catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token));
        assertThat(refused).isInstanceOf(RotationStateException.class).hasMessageContaining(previousId)
                .hasMessageContaining("its hold counts from now");
        assertThat(world.keys()).hasSize(2);
        assertThat(java.time.Instant.parse(ledger(world, arn, previousId))).isBetween(before, world.clock.instant());

        // AND only after the hold from that moment is it deleted
        world.clock.advance(Duration.ofHours(49));
        world.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);
        assertThat(world.keys()).hasSize(2).noneMatch(k -> k.accessKeyId().equals(previousId));
    }

    @Test
    void firstRotation_withAFreeSlot_deletesNothing(MotoServer moto) {
        // GIVEN a user with one key made by hand for something else (not in the secret, last used days ago)
        // and a secret naming only the user
        IamWorld world = new IamWorld(moto, Map.of());
        AccessKey byHand = world.iam.createAccessKey(b -> b.userName(IamWorld.USER)).accessKey();
        LeakCheck.sensitive(byHand.secretAccessKey());
        assertThat(world.authenticates(byHand.accessKeyId(), byHand.secretAccessKey())).isTrue();
        String arn = world.secret("iam/first", "{\"provider\":\"aws-iam\",\"userName\":\"" + IamWorld.USER + "\"}");
        world.clock.advance(Duration.ofDays(3));

        // WHEN the secret's first rotation runs
        world.rotator.driver.rotate(arn);

        // THEN the hand-made key is untouched, and the user holds it and the new one
        assertThat(world.keys()).hasSize(2).anyMatch(k -> k.accessKeyId().equals(byHand.accessKeyId())
                && k.status() == StatusType.ACTIVE);
        assertThat(world.iamFaults.calls("deleteAccessKey") + world.iamFaults.calls("updateAccessKey")).isZero();
    }

    @Test
    void createSecret_whenAKeyWasMadeByHandBetweenRotations_neverDeletesIt(MotoServer moto) {
        // GIVEN a rotated secret whose previous key the operator deleted, and then a key the operator
        // made for the same user an hour later, not used yet (or IAM's last-used data lagging)
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, "{}");
        world.rotator.driver.rotate(arn);
        String previousId = keyId(world, arn, "AWSPREVIOUS");
        world.iam.deleteAccessKey(b -> b.userName(IamWorld.USER).accessKeyId(previousId));
        world.clock.advance(Duration.ofHours(1));
        AccessKey byHand = world.iam.createAccessKey(b -> b.userName(IamWorld.USER)).accessKey();
        LeakCheck.sensitive(byHand.secretAccessKey());
        world.clock.advance(Duration.ofHours(1));
        String token = world.rotator.driver.startRotation(arn);
        int changes = world.iamFaults.calls("deleteAccessKey") + world.iamFaults.calls("createAccessKey")
                + world.iamFaults.calls("updateAccessKey");

        // WHEN createSecret runs
        Throwable refused = catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token));

        // THEN it refuses, naming the hand-made key, which stays Active; nothing was deleted or created
        assertThat(refused).isNotNull().hasMessageContaining(byHand.accessKeyId()).hasMessageContaining("grace period");
        assertThat(world.keys()).hasSize(2).anyMatch(k -> k.accessKeyId().equals(byHand.accessKeyId())
                && k.status() == StatusType.ACTIVE);
        assertThat(world.iamFaults.calls("deleteAccessKey") + world.iamFaults.calls("createAccessKey")
                + world.iamFaults.calls("updateAccessKey")).isEqualTo(changes);
    }

    @Test
    void createSecret_retriedAfterItsValueWasLost_deletesTheKeyItMinted_andClearsTheLedger(MotoServer moto) {
        // GIVEN a createSecret whose key was created and recorded, but whose value was never stored
        IamWorld world = new IamWorld(moto, Map.of());
        String arn = secretWithNewKey(world, QUIET_AT_ONCE);
        String token = world.rotator.driver.startRotation(arn);
        world.rotator.faults.fail("putSecretValue", world.rotator.faults.calls("putSecretValue") + 1,
                dev.secretrotator.testing.FaultInjector.When.BEFORE_CALL,
                () -> software.amazon.awssdk.core.exception.SdkClientException.create("injected: connection reset"));
        catchThrowable(() -> world.rotator.driver.invoke("createSecret", arn, token));
        String lost = world.keys().stream().map(k -> k.accessKeyId())
                .filter(id -> !id.equals(keyId(world, arn, "AWSCURRENT"))).findFirst().orElseThrow();
        assertThat(tag(world, arn, StoredHistory.MINTED_PREFIX + lost)).isEqualTo(token);

        // WHEN the service retries after the key aged past any invocation in flight
        world.clock.advance(Duration.ofMinutes(5));
        world.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);

        // THEN the unstored key was deleted, the new one is current, and the ledger is empty
        assertThat(world.keys()).hasSize(2).noneMatch(k -> k.accessKeyId().equals(lost));
        assertThat(world.rotator.client.describeSecret(b -> b.secretId(arn)).tags())
                .noneMatch(t -> t.key().startsWith(StoredHistory.MINTED_PREFIX));
    }

    static String secretWithNewKey(IamWorld world, String extraJson) {
        AccessKey key = world.iam.createAccessKey(b -> b.userName(IamWorld.USER)).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        Map<String, Object> value = new LinkedHashMap<>(Map.of("provider", "aws-iam", "userName", IamWorld.USER,
                "accessKeyId", key.accessKeyId(), "secretAccessKey", key.secretAccessKey()));
        value.putAll(Json.object(extraJson));
        return world.secret("iam/" + java.util.UUID.randomUUID(), Json.write(value));
    }

    static String keyId(IamWorld world, String arn, String stage) {
        return (String) Json.object(world.rotator.value(arn, stage)).get("accessKeyId");
    }

    private static StatusType status(IamWorld world, String keyId) {
        return world.keys().stream().filter(k -> k.accessKeyId().equals(keyId)).findFirst().orElseThrow().status();
    }

    private static String ledger(IamWorld world, String arn, String keyId) {
        return tag(world, arn, StoredHistory.LEDGER_PREFIX + keyId);
    }

    private static String tag(IamWorld world, String arn, String key) {
        return world.rotator.client.describeSecret(b -> b.secretId(arn)).tags().stream()
                .filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst().orElse(null);
    }
}
