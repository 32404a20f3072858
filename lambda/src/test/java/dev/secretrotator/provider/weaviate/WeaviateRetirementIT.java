package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.provider.RetirementResult;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sweep over an alternating-users secret: grace period, quiet period, deactivation, reactivation. */
@ExtendWith({Moto.class, LeakCheck.class})
class WeaviateRetirementIT {
    static final Map<String, Object> TIMINGS = Map.of("retirement", Map.of("gracePeriod", "PT24H", "quietPeriod", "PT4H"));

    WeaviateTarget target;
    WeaviateHarness h;
    String userA;
    String userB;
    String arn;
    String keyA;

    @BeforeEach
    void setUp(MotoServer moto) {
        target = WeaviateTarget.start();
        target.server();
        h = new WeaviateHarness(moto, target);
        userA = target.user("app_a");
        userB = target.user("app_b");
        arn = h.alternatingSecret("weaviate/retire", userA, userB, TIMINGS);
        keyA = h.currentKey(arn);
        h.rotator.driver.rotate(arn); // app_b current, app_a previous
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    @Test
    void sweep_withinTheGracePeriod_waits() {
        // WHEN the sweep runs an hour after the cutover
        h.clock.advance(Duration.ofHours(1));
        Map<String, Object> line = h.sweep(arn);

        // THEN app_a is left alone
        assertThat(line).containsEntry("action", "WAITING").containsEntry("credentialId", userA);
        assertThat(target.works(keyA)).isTrue();
    }

    @Test
    void sweep_afterTheGracePeriod_whenThePreviousUserWasUsedWithinTheQuietPeriod_keepsItAndRaisesTheMetric() {
        // GIVEN the grace period is over but a consumer used app_a an hour ago
        h.clock.advance(Duration.ofHours(24));
        target.ownInfo(keyA);
        h.clock.advance(Duration.ofHours(1));

        // WHEN the sweep runs
        Map<String, Object> line = h.sweep(arn);

        // THEN app_a stays active and the stale-credential metric is emitted
        assertThat(line).containsEntry("action", "STILL_IN_USE");
        assertThat((String) line.get("detail")).contains("quiet period of PT4H");
        assertThat(target.works(keyA)).isTrue();
        assertThat(LeakCheck.captured()).contains("\"StaleCredentialInUse\"");
    }

    @Test
    void sweep_afterGraceAndQuietPeriods_deactivatesTheIdleUser_andTheNextRotationReactivatesIt() {
        // GIVEN app_a unused since the cutover, 25 hours ago
        h.clock.advance(Duration.ofHours(25));
        String keyB = h.currentKey(arn);

        // WHEN the sweep runs (twice: it is idempotent)
        Map<String, Object> line = h.sweep(arn);
        Map<String, Object> again = h.sweep(arn);

        // THEN app_a is deactivated (its key no longer works), recorded in the ledger; app_b untouched
        assertThat(line).containsEntry("action", "DEACTIVATED").containsEntry("credentialId", userA);
        assertThat(again).containsEntry("action", "NOTHING");
        assertThat(target.userInfo(userA)).containsEntry("active", false);
        assertThat(target.works(keyA)).isFalse();
        assertThat(target.works(keyB)).isTrue();
        assertThat(h.tags(arn)).containsKey("secret-rotator:deactivated:" + userA);

        // WHEN the next rotation runs
        h.rotator.driver.rotate(arn);

        // THEN app_a is active again with a new working key, and the ledger forgot it
        assertThat(h.value(arn, "AWSCURRENT")).containsEntry("userId", userA);
        assertThat(target.ownInfo(h.currentKey(arn))).isEqualTo(200);
        assertThat(target.works(keyA)).isFalse();
        assertThat(h.tags(arn)).doesNotContainKey("secret-rotator:deactivated:" + userA);
    }

    @Test
    void emergencySweep_revokesThePreviousUsersKeyAtOnce() {
        // WHEN an emergency sweep runs right after the cutover, with app_a still in use
        target.ownInfo(keyA);
        RetirementResult result = h.emergencySweep(arn);

        // THEN app_a is deactivated and its key revoked
        assertThat(result.action()).isEqualTo(RetirementResult.Action.REVOKED);
        assertThat(target.works(keyA)).isFalse();
        assertThat(target.userInfo(userA)).containsEntry("active", false).doesNotContainKey("apiKeyFirstLetters");
        assertThat(target.works(h.currentKey(arn))).isTrue();
    }

    @Test
    void emergencySweep_ofAUserAlreadyDeactivated_rotatesItsKeyAway() {
        // GIVEN app_a deactivated by a sweep (its key kept, unusable while inactive)
        h.clock.advance(Duration.ofHours(25));
        assertThat(h.sweep(arn)).containsEntry("action", "DEACTIVATED");

        // WHEN an emergency sweep runs
        RetirementResult result = h.emergencySweep(arn);

        // THEN the old key is gone for good: even re-activating app_a does not bring it back
        assertThat(result.action()).isEqualTo(RetirementResult.Action.REVOKED);
        target.call("POST", "/v1/users/db/" + userA + "/activate", null, target.adminKey());
        assertThat(target.works(keyA)).isFalse();
    }
}
