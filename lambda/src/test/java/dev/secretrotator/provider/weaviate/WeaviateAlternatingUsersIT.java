package dev.secretrotator.provider.weaviate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.secretrotator.InvalidInputException;
import dev.secretrotator.StaleCredentialException;
import dev.secretrotator.engine.CreateClaim;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The alternating-users strategy through the real handler, on moto and a Weaviate. */
@ExtendWith({Moto.class, LeakCheck.class})
class WeaviateAlternatingUsersIT {
    WeaviateTarget target;
    WeaviateHarness h;
    String userA;
    String userB;

    @BeforeEach
    void setUp(MotoServer moto) {
        target = WeaviateTarget.start();
        h = new WeaviateHarness(moto, target);
        userA = target.user("app_a");
        userB = target.user("app_b");
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    String secret() {
        return h.alternatingSecret("weaviate/app", userA, userB, Map.of("team", "search"));
    }

    /** Lets the previous user's last use fall out of the quiet period (PT1S in these secrets). */
    void quietPeriodPasses() throws InterruptedException {
        if (target.isTestServer()) {
            h.clock.advance(Duration.ofHours(1));
        } else {
            Thread.sleep(1_500);
        }
    }

    @Test
    void firstRotation_createsTheAlternateUserWithTheSameRoles_andTheOldKeyKeepsWorking() {
        // GIVEN a secret for app_a; app_b does not exist yet
        String arn = secret();
        String keyA = h.currentKey(arn);
        assertThat(target.userInfo(userB)).containsEntry("status", 404);

        // WHEN Secrets Manager rotates it
        h.rotator.driver.rotate(arn);

        // THEN app_b is current with a working key and app_a's roles, app_a's key still works
        Map<String, Object> current = h.value(arn, "AWSCURRENT");
        assertThat(current).containsEntry("userId", userB).containsEntry("alternateUserId", userA)
                .containsEntry("team", "search").containsEntry("adminSecretArn", h.adminArn);
        String keyB = (String) current.get("apiKey");
        assertThat(target.ownInfo(keyB)).isEqualTo(200);
        assertThat(h.roles(userB)).isEqualTo(h.roles(userA)).containsExactlyElementsOf(target.appRoles());
        System.out.println("weaviate roles copied: " + userA + " " + h.roles(userA) + " -> " + userB + " " + h.roles(userB));
        assertThat(target.works(keyA)).isTrue();
        assertThat(h.value(arn, "AWSPREVIOUS")).containsEntry("userId", userA);
        // and the admin key was never printed (LeakCheck also checks every stored key after the test)
        assertThat(LeakCheck.captured()).doesNotContain(target.adminKey());
    }

    @Test
    void secondRotation_rotatesTheIdleUser_andTheNewPreviousKeepsWorking() throws InterruptedException {
        // GIVEN a secret rotated once (app_b current, app_a previous and idle)
        String arn = secret();
        String keyA = h.currentKey(arn);
        h.rotator.driver.rotate(arn);
        String keyB = h.currentKey(arn);
        quietPeriodPasses();

        // WHEN it rotates again
        h.rotator.driver.rotate(arn);

        // THEN app_a is current with a new key, its old key is dead, app_b's key still works
        Map<String, Object> current = h.value(arn, "AWSCURRENT");
        assertThat(current).containsEntry("userId", userA).containsEntry("alternateUserId", userB);
        assertThat(current.get("apiKey")).isNotEqualTo(keyA);
        assertThat(target.ownInfo((String) current.get("apiKey"))).isEqualTo(200);
        assertThat(target.works(keyA)).isFalse();
        assertThat(target.works(keyB)).isTrue();
    }

    @Test
    void rotation_whenTheIdleUserWasUsedWithinTheQuietPeriod_isRefused_andChangesNothing() {
        // GIVEN app_b current and app_a's key still used by a consumer that did not refresh
        String arn = secret();
        String keyA = h.currentKey(arn);
        h.rotator.driver.rotate(arn);
        assertThat(target.ownInfo(keyA)).isEqualTo(200);
        String token = h.rotator.driver.startRotation(arn);

        // WHEN the next rotation's createSecret runs
        // THEN it refuses, naming the user, the quiet period and the ways out
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(StaleCredentialException.class)
                .hasMessageContaining("user '" + userA + "'").hasMessageContaining("quiet period of PT1S")
                .hasMessageContaining("emergency rotation");
        // and nothing changed: no pending value, app_a's key still works
        assertThat(h.valueOf(arn, token)).isEmpty();
        assertThat(target.works(keyA)).isTrue();
        assertThat(LeakCheck.captured()).contains("\"StaleCredentialInUse\"");
    }

    @Test
    void emergencyRotation_overridesTheQuietPeriod_revokesThePreviousUser_andTheNextRotationReactivatesIt() throws InterruptedException {
        // GIVEN app_b current, app_a's key in use within the quiet period, a rotation started
        String arn = secret();
        String keyA = h.currentKey(arn);
        h.rotator.driver.rotate(arn);
        String keyB = h.currentKey(arn);
        target.ownInfo(keyA);
        String token = h.rotator.driver.startRotation(arn);

        // WHEN an emergency rotation runs
        h.emergencyRotation(arn, token);

        // THEN app_a has a new working key, app_b (previous) is deactivated with its key revoked, in the ledger
        assertThat(h.value(arn, "AWSCURRENT")).containsEntry("userId", userA);
        assertThat(target.ownInfo(h.currentKey(arn))).isEqualTo(200);
        assertThat(target.works(keyA)).isFalse();
        assertThat(target.works(keyB)).isFalse();
        assertThat(target.userInfo(userB)).containsEntry("active", false);
        assertThat(h.tags(arn)).containsKey("secret-rotator:deactivated:" + userB);

        // WHEN the next (normal) rotation runs
        quietPeriodPasses();
        h.rotator.driver.rotate(arn);

        // THEN app_b is active again with a new working key, and the ledger forgot it
        assertThat(h.value(arn, "AWSCURRENT")).containsEntry("userId", userB);
        assertThat(target.ownInfo(h.currentKey(arn))).isEqualTo(200);
        assertThat(target.userInfo(userB)).containsEntry("active", true);
        assertThat(h.tags(arn)).doesNotContainKey("secret-rotator:deactivated:" + userB);
    }

    @Test
    void alternateUserThatIsADbEnvUser_isRefusedClearly_andNothingChanges() {
        // GIVEN a secret whose alternate user is configured by Weaviate's environment
        target.server();
        String arn = h.alternatingSecret("weaviate/env", userA, WeaviateTarget.ENV_USER, Map.of());
        String keyA = h.currentKey(arn);
        String token = h.rotator.driver.startRotation(arn);

        // WHEN createSecret runs
        // THEN it names the user and the reason, and changes nothing
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'" + WeaviateTarget.ENV_USER + "'").hasMessageContaining("db_env_user");
        assertThat(h.valueOf(arn, token)).isEmpty();
        assertThat(target.works(keyA)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "401, the management key (field \"apiKey\" of the admin secret",
        "403, lacks a permission",
        "404, does not exist",
        "409, conflicting state",
        "422, db_env_user"})
    void weaviateRefusingRotateKey_givesAClearError_changesNothing_andTheRetryCompletes(int status, String hint)
            throws InterruptedException {
        // GIVEN a secret rotated once, and Weaviate about to refuse the next rotate-key
        String arn = secret();
        h.rotator.driver.rotate(arn);
        String keyB = h.currentKey(arn);
        String keyA = (String) h.value(arn, "AWSPREVIOUS").get("apiKey");
        quietPeriodPasses();
        target.server().failNext("POST", ".*/rotate-key", status);
        String token = h.rotator.driver.startRotation(arn);

        // WHEN createSecret runs
        // THEN a clear error names the status and the cause, without any key
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("answered " + status + " to POST /v1/users/db/" + userA + "/rotate-key")
                .hasMessageContaining(hint)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(target.adminKey()).doesNotContain(keyA));
        // and nothing changed
        assertThat(h.valueOf(arn, token)).isEmpty();
        assertThat(target.works(keyA)).isTrue();
        assertThat(target.works(keyB)).isTrue();

        // WHEN the service retries
        h.rotator.driver.complete(arn, token, ServiceDriver.Fault.NONE);

        // THEN the rotation completes
        assertThat(h.value(arn, "AWSCURRENT")).containsEntry("userId", userA);
        assertThat(target.works(h.currentKey(arn))).isTrue();
    }

    @Test
    void wrongAdminKey_givesAClearError_withoutTheKey() {
        // GIVEN an admin secret holding a key Weaviate does not know
        String arn = secret();
        String wrong = WeaviateTarget.randomKey();
        LeakCheck.sensitive(wrong);
        h.rotator.client.putSecretValue(b -> b.secretId(h.adminArn).secretString("{\"apiKey\":\"" + wrong + "\"}"));

        // WHEN a rotation runs
        // THEN every attempt fails on the admin key's 401, and AWSCURRENT is untouched
        String before = h.currentKey(arn);
        assertThatThrownBy(() -> h.rotator.driver.maxAttempts(2).rotate(arn))
                .hasMessageContaining("answered 401").hasMessageContaining("is not accepted");
        assertThat(h.currentKey(arn)).isEqualTo(before);
        assertThat(target.works(before)).isTrue();
    }

    @Test
    void endpointNotOnTheAllowList_isRefused_beforeAnyRequest() {
        // GIVEN a secret pointing to a host the function was not configured for
        target.server();
        String arn = h.alternatingSecret("weaviate/elsewhere", userA, userB,
                Map.of("endpoint", "https://weaviate.attacker.example"));
        long requests = target.server().requestCount();

        // WHEN a rotation starts
        String token = h.rotator.driver.startRotation(arn);

        // THEN createSecret refuses and Weaviate (and the other host) saw no request
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ROTATOR_ALLOWED_ENDPOINT_HOSTS");
        assertThat(target.server().requestCount()).isEqualTo(requests);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BEFORE_CALL", "AFTER_CALL"})
    void createSecretRetried_afterRotateKeyButAroundPutSecretValue_endsWithAWorkingPendingKey(String when)
            throws InterruptedException {
        // GIVEN a secret rotated once, and PutSecretValue failing once (before or after storing)
        String arn = secret();
        h.rotator.driver.rotate(arn);
        String keyB = h.currentKey(arn);
        quietPeriodPasses();
        // (the rotation's first PutSecretValue stores its createSecret claim, the second its pending value)
        h.rotator.faults.fail("putSecretValue", h.rotator.faults.calls("putSecretValue") + 2, FaultInjector.When.valueOf(when),
                () -> SdkClientException.create("connection reset"));

        // WHEN the service rotates, retrying the failed attempt a while later (a write that got no answer
        // keeps the createSecret claim for its lease: it may still land)
        ServiceDriver.Result result = h.rotator.driver.rotate(arn, (step, phase, attempt) -> {
            if (attempt > 1 && step.equals("createSecret") && phase == ServiceDriver.Phase.BEFORE) {
                h.clock.advance(CreateClaim.BUDGET.plus(CreateClaim.SKEW));
            }
            assertThat(target.works(h.currentKey(arn))).as("AWSCURRENT works at %s %s", phase, step).isTrue();
        });

        // THEN the retry ends with app_a current and working; app_b's key was never touched
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(h.value(arn, "AWSCURRENT")).containsEntry("userId", userA);
        assertThat(target.ownInfo(h.currentKey(arn))).isEqualTo(200);
        assertThat(target.works(keyB)).isTrue();
    }

    @Test
    void selfManaged_withoutAdminSecret_usesTheActiveUsersKey() {
        // GIVEN a user allowed to manage users, and a secret saying it manages its twin itself
        target.server();
        String keyA = target.createUser(userA + "_ops", List.of("admin"));
        String arn = h.rotator.createSecret("weaviate/self", dev.secretrotator.testing.Json.write(Map.of(
                "provider", "weaviate", "endpoint", target.baseUrl(), "userId", userA + "_ops",
                "alternateUserId", userB + "_ops", "apiKey", keyA, "selfManaged", true)));

        // WHEN it rotates
        h.rotator.driver.rotate(arn);

        // THEN the twin is current, with the same roles, and the admin key was not needed
        assertThat(h.value(arn, "AWSCURRENT")).containsEntry("userId", userB + "_ops");
        assertThat(target.works(h.currentKey(arn))).isTrue();
        assertThat(h.roles(userB + "_ops")).containsExactly("admin");
    }

    @Test
    void rolesChangedOnTheActiveUser_areAlignedOnTheTwinAtTheNextRotation() throws InterruptedException {
        // GIVEN a secret rotated twice (app_a current), then app_a loses a role and gains another
        target.server();
        String arn = secret();
        h.rotator.driver.rotate(arn);
        quietPeriodPasses();
        h.rotator.driver.rotate(arn);
        target.call("POST", "/v1/authz/users/" + userA + "/revoke", "{\"roles\":[\"reader\"],\"userType\":\"db\"}", target.adminKey());
        target.call("POST", "/v1/authz/users/" + userA + "/assign", "{\"roles\":[\"admin\"],\"userType\":\"db\"}", target.adminKey());
        quietPeriodPasses();

        // WHEN it rotates to app_b
        h.rotator.driver.rotate(arn);

        // THEN app_b holds exactly app_a's roles
        assertThat(h.roles(userB)).containsExactly("admin", "viewer").isEqualTo(h.roles(userA));
    }

    @Test
    void createSecret_whenTheActiveUserHoldsRoot_refusesClearly_insteadOfGivingItsTwinFewerRights() {
        // GIVEN an active user that is root (named in AUTHORIZATION_RBAC_ROOT_USERS): root cannot be assigned
        target.server();
        String arn = h.alternatingSecret("weaviate/root", WeaviateTarget.ROOT_APP_USER, userB, Map.of());
        assertThat(h.roles(WeaviateTarget.ROOT_APP_USER)).contains("root");
        String token = h.rotator.driver.startRotation(arn);
        long before = target.server().requestCount();

        // WHEN createSecret runs THEN it is refused, saying why and what to do
        assertThatThrownBy(() -> h.rotator.driver.invoke("createSecret", arn, token))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("user '" + WeaviateTarget.ROOT_APP_USER + "' (field \"userId\") holds Weaviate's root role")
                .hasMessageContaining("its twin '" + userB + "' would not hold the same rights")
                .hasMessageContaining("nothing was changed");

        // AND the twin was not created, no pending value was stored, only reads reached Weaviate
        assertThat(target.userInfo(userB)).containsEntry("status", 404);
        assertThat(h.valueOf(arn, token)).isEmpty();
        assertThat(target.server().requestCount() - before).isLessThanOrEqualTo(4);
    }
}
