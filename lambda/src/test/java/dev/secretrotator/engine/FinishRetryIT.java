package dev.secretrotator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.RotationException;
import dev.secretrotator.provider.ProviderRegistry;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.provider.RotationProvider;
import dev.secretrotator.provider.SecretValue;
import dev.secretrotator.provider.StepContext;
import dev.secretrotator.telemetry.RotationEvents;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.AwsFaults;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import dev.secretrotator.testing.ServiceDriver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Issue 13 item 3: the work after the cutover (the provider's afterCutover, the "rotated" event)
 * happens at least once, also when finishSecret fails after {@code UpdateSecretVersionStage}
 * moved AWSCURRENT and the service retries it.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class FinishRetryIT {
    static final String OLD = "{\"provider\":\"recording\",\"password\":\"old-password-1\"}";

    SecretsManagerClient client;
    FaultInjector faults = new FaultInjector();
    Recorder provider = new Recorder();
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    /** How many of the next events the bus refuses (the publisher then returns false, as EventBridgeEvents does). */
    java.util.concurrent.atomic.AtomicInteger refuse = new java.util.concurrent.atomic.AtomicInteger();
    RotationEngine engine;
    ServiceDriver service;

    @BeforeEach
    void setUp(MotoServer moto) {
        client = moto.configure(SecretsManagerClient.builder()).build();
        ProviderServices services = ProviderServices.builder().telemetry(Telemetry.stdout())
                .client(RotationEvents.class, () -> (type, detail) -> refuse.getAndDecrement() <= 0
                        && events.add(Map.of("type", type, "detail", detail)))
                .build();
        engine = new RotationEngine(new SecretStore(faults.wrap(SecretsManagerClient.class, client)),
                ProviderRegistry.of(List.of(provider)), services);
        service = new ServiceDriver(client, null);
    }

    @Test
    void finishSecret_retriedAfterTheCutover_runsAfterCutover_andPublishesTheRotatedEvent() {
        // GIVEN a rotation whose finishSecret moves AWSCURRENT, then fails (a throttled call right after)
        String arn = client.createSecret(b -> b.name("retry/finish").secretString(OLD)).arn();
        String token = service.startRotation(arn);
        faults.fail("updateSecretVersionStage", 1, FaultInjector.When.AFTER_CALL, () -> AwsFaults.of(
                AwsFaults.Kind.THROTTLING, SecretsManagerException::builder, "SecretsManager", "ThrottlingException"));
        for (Step step : List.of(Step.CREATE, Step.SET, Step.TEST)) {
            engine.execute(request(step, arn, token));
        }
        Throwable failed = catchThrowable(() -> engine.execute(request(Step.FINISH, arn, token)));
        assertThat(failed).isInstanceOf(RotationException.class);
        assertThat(client.describeSecret(b -> b.secretId(arn)).versionIdsToStages().get(token)).contains("AWSCURRENT");
        assertThat(provider.afterCutover).isEmpty();
        assertThat(events).isEmpty();

        // WHEN the service retries the rotation from createSecret, with the same token
        for (Step step : Step.values()) {
            engine.execute(request(step, arn, token));
        }

        // THEN the work after the cutover ran, with the first run's context, and the event is out
        assertThat(provider.afterCutover).singleElement().satisfies(context -> {
            assertThat(context.versionId()).isEqualTo(token);
            assertThat(context.current().string("password")).contains("old-password-1");
            assertThat(context.requirePending().string("password")).contains("new-password-1");
        });
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("type")).isEqualTo(RotationEvents.ROTATED);
            assertThat(e.get("detail").toString()).contains(token).contains(arn);
        });
        assertThat(client.describeSecret(b -> b.secretId(arn)).versionIdsToStages().get(token)).containsExactly("AWSCURRENT");
    }

    @Test
    void finishSecret_whoseRotatedEventIsNotPublished_fails_andTheServiceRetryPublishesIt() {
        // GIVEN a rotation whose "rotated" event the bus refuses once (a throttle, a missing grant)
        String arn = client.createSecret(b -> b.name("retry/event").secretString(OLD)).arn();
        String token = service.startRotation(arn);
        refuse.set(1);
        for (Step step : List.of(Step.CREATE, Step.SET, Step.TEST)) {
            engine.execute(request(step, arn, token));
        }

        // WHEN finishSecret runs THEN the cutover stands but the step fails, naming what was lost
        assertThat(catchThrowable(() -> engine.execute(request(Step.FINISH, arn, token))))
                .isInstanceOf(RotationException.class).hasMessageContaining("was not published");
        assertThat(client.describeSecret(b -> b.secretId(arn)).versionIdsToStages().get(token)).contains("AWSCURRENT");
        assertThat(events).isEmpty();

        // WHEN the service retries the rotation THEN the event goes out
        for (Step step : Step.values()) {
            engine.execute(request(step, arn, token));
        }
        assertThat(events).singleElement().satisfies(e -> assertThat(e.get("detail").toString()).contains(token));
    }

    @Test
    void finishSecret_ofAVersionThisFunctionDidNotCutOver_doesNothing() {
        // GIVEN a secret whose current version was put by hand (no cutover tag names it), rotation on
        String arn = client.createSecret(b -> b.name("retry/manual").secretString(OLD)).arn();
        service.startRotation(arn);
        String manual = client.putSecretValue(b -> b.secretId(arn)
                .secretString("{\"provider\":\"recording\",\"password\":\"by-hand-password\"}")).versionId();

        // WHEN finishSecret names that version
        engine.execute(request(Step.FINISH, arn, manual));

        // THEN nothing ran and nothing was published
        assertThat(provider.afterCutover).isEmpty();
        assertThat(events).isEmpty();
    }

    private static RotationRequest request(Step step, String arn, String token) {
        return new RotationRequest(step, arn, token, Optional.empty());
    }

    /** A provider that records its afterCutover calls; its new credential is always "new-password-1". */
    static final class Recorder implements RotationProvider {
        final List<StepContext> afterCutover = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public SecretValue createCredential(StepContext context) {
            return SecretValue.parse("{\"provider\":\"recording\",\"password\":\"new-password-1\"}");
        }

        @Override
        public void verifyCredential(StepContext context) {}

        @Override
        public void afterCutover(StepContext context) {
            afterCutover.add(context);
        }
    }
}
