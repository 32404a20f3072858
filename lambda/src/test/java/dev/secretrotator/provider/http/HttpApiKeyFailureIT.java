package dev.secretrotator.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.MutableClock;
import dev.secretrotator.testing.ServiceDriver;
import dev.secretrotator.testing.saas.ApiKeys;
import dev.secretrotator.testing.saas.KeyConsumerFleet;
import dev.secretrotator.testing.saas.SaasTestServer;
import dev.secretrotator.testing.saas.SaasTestServer.Operation;
import dev.secretrotator.testing.saas.SaasTestServer.When;
import dev.secretrotator.testing.saas.SendGridTestServer;
import dev.secretrotator.testing.saas.TwilioTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A failure at each call of a rotation (vendor calls and Secrets Manager writes, before or after
 * the far side acted), then the service's retry: the rotation completes, no unrevoked orphan key
 * remains, and {@code AWSCURRENT} works throughout (consumers call the vendor all along, and the
 * current key is checked at every step boundary of every attempt).
 */
@ExtendWith({Moto.class, LeakCheck.class})
class HttpApiKeyFailureIT {
    static final MutableClock CLOCK = new MutableClock();
    static SendGridTestServer sendgrid;
    static TwilioTestServer twilio;

    MotoServer moto;
    SaasRig rig;

    @BeforeAll
    static void startServers() {
        sendgrid = new SendGridTestServer(CLOCK);
        twilio = new TwilioTestServer(CLOCK);
        sendgrid.propagationDelay(Duration.ofMillis(300));
        twilio.propagationDelay(Duration.ofMillis(300));
    }

    @AfterAll
    static void stopServers() {
        sendgrid.close();
        twilio.close();
    }

    @BeforeEach
    void setUp(MotoServer moto) {
        this.moto = moto;
        sendgrid.reset();
        twilio.reset();
        rig = new SaasRig(moto, CLOCK);
    }

    @AfterEach
    void registerKeys() {
        Stream.of(sendgrid, twilio).forEach(s -> s.activeKeys().forEach(k -> LeakCheck.sensitive(k.secret())));
    }

    /** A failure to inject into the rig (its Secrets Manager client) or the vendor server. */
    record Injection(String name, Consumer<SaasRig> inject) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> failures() {
        List<Arguments> cases = new ArrayList<>();
        for (When when : When.values()) {
            for (Operation op : List.of(Operation.LIST, Operation.CREATE, Operation.VERIFY)) {
                cases.add(Arguments.of(new Injection(op + " " + when, r -> sendgrid.failNext(op, when))));
            }
            cases.add(Arguments.of(new Injection("REVOKE of the orphan " + when, r -> {
                sendgrid.failNext(Operation.CREATE, When.AFTER_ACTING);
                sendgrid.failNext(Operation.REVOKE, when);
            })));
        }
        for (FaultInjector.When when : FaultInjector.When.values()) {
            for (String call : List.of("putSecretValue", "updateSecretVersionStage")) {
                cases.add(Arguments.of(new Injection(call + " " + when, r -> r.faults.fail(call, 1, when,
                        () -> SdkClientException.create("connection reset")))));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failureAtEachCall_thenServiceRetry_leavesNoOrphan_andCurrentWorksThroughout(Injection injection) {
        // GIVEN a SendGrid secret, consumers using it, and a failure waiting at one call
        ApiKeys.Key first = sendgrid.seedKey("made in the console");
        String admin = rig.adminSecret("admin/sendgrid", sendgrid);
        String arn = rig.createSecret("saas/failing", SaasRig.secret("sendgrid", sendgrid, first, admin));
        injection.inject().accept(rig);

        // WHEN Secrets Manager rotates it, retrying the failed attempt
        ServiceDriver.Result result;
        KeyConsumerFleet.Figures figures;
        try (KeyConsumerFleet fleet = fleet(sendgrid, arn)) {
            result = rig.driver.rotate(arn, currentKeyWorks(sendgrid, arn));
            figures = fleet.stop();
        }

        // THEN it completed, the vendor holds exactly the admin key, the first key and the new current key,
        // and no consumer call failed
        String current = (String) rig.current(arn).get("keyId");
        assertThat(result.token()).isNotNull();
        assertThat(sendgrid.activeKeys()).extracting(ApiKeys.Key::id)
                .containsExactlyInAnyOrder(adminKeyId(sendgrid, first.id(), current), first.id(), current);
        assertThat(sendgrid.key(current).name()).contains(result.token());
        assertThat(figures.failures()).as("consumer failures: %s", figures).isZero();
        assertThat(figures.calls()).isPositive();
        System.out.println("failure " + injection + ": " + result.attempts() + " attempts; consumers: " + figures);
    }

    @Test
    void putSecretValueFailed_retryOnAColdContainer_revokesTheUnstoredKey_andMintsAnother() {
        // GIVEN a Twilio secret whose first createSecret minted a key but failed to store it
        ApiKeys.Key first = twilio.seedKey("made in the console");
        String admin = rig.adminSecret("admin/twilio", twilio);
        String arn = rig.createSecret("saas/cold", SaasRig.secret("twilio", twilio, first, admin));
        String token = rig.driver.startRotation(arn);
        rig.faults.fail("putSecretValue", 1, FaultInjector.When.BEFORE_CALL, () -> SdkClientException.create("timeout"));
        try {
            rig.driver.invoke("createSecret", arn, token);
        } catch (RuntimeException expected) {
            // the service will retry
        }
        List<String> afterFirstAttempt = twilio.activeKeys().stream().map(ApiKeys.Key::id).toList();

        // WHEN the service retries on a new container (nothing in memory)
        SaasRig cold = new SaasRig(moto, CLOCK);
        ServiceDriver.Result result = cold.driver.complete(arn, token, currentKeyWorks(twilio, arn));

        // THEN the unstored key was revoked and one new key is current
        String orphan = afterFirstAttempt.stream().filter(id -> !id.equals(first.id())).findFirst().orElseThrow();
        String current = (String) cold.current(arn).get("keyId");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(twilio.isActive(orphan)).isFalse();
        assertThat(current).isNotEqualTo(orphan);
        assertThat(twilio.activeKeys()).extracting(ApiKeys.Key::id).containsExactlyInAnyOrder(first.id(), current);
    }

    @Test
    void putSecretValueFailed_retryOnTheSameContainer_reusesTheKeyItMinted() {
        // GIVEN a SendGrid secret, and PutSecretValue failing once before it stores the new value
        ApiKeys.Key first = sendgrid.seedKey("made in the console");
        String admin = rig.adminSecret("admin/sendgrid", sendgrid);
        String arn = rig.createSecret("saas/warm", SaasRig.secret("sendgrid", sendgrid, first, admin));
        rig.faults.fail("putSecretValue", 1, FaultInjector.When.BEFORE_CALL, () -> SdkClientException.create("timeout"));

        // WHEN the service rotates and retries on the same (warm) container
        ServiceDriver.Result result = rig.driver.rotate(arn);

        // THEN the key minted by the first attempt became current: one key minted, none revoked
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(sendgrid.calls(Operation.CREATE)).isEqualTo(1);
        assertThat(sendgrid.calls(Operation.REVOKE)).isZero();
        assertThat(sendgrid.activeKeys()).hasSize(3);
    }

    private KeyConsumerFleet fleet(SaasTestServer server, String arn) {
        return new KeyConsumerFleet(2, Duration.ofMillis(75), Duration.ofSeconds(30), () -> rig.current(arn),
                server::consumerCall);
    }

    /** At every step boundary of every attempt, the key in AWSCURRENT authenticates. */
    private ServiceDriver.Fault currentKeyWorks(SaasTestServer server, String arn) {
        return (step, phase, attempt) -> {
            Map<String, Object> current = rig.current(arn);
            int status = server.consumerCall(current);
            if (status < 200 || status >= 300) {
                throw new AssertionError("AWSCURRENT key " + current.get("keyId") + " answered " + status
                        + " " + phase + " " + step + " (attempt " + attempt + ")");
            }
        };
    }

    private static String adminKeyId(SaasTestServer server, String... others) {
        List<String> known = List.of(others);
        return server.activeKeys().stream().map(ApiKeys.Key::id).filter(id -> !known.contains(id))
                .filter(id -> server.key(id).name().startsWith("admin")).findFirst().orElse("no admin key");
    }
}
