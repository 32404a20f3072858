package dev.secretrotator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.secretrotator.RotationStateException;
import dev.secretrotator.TestRotator;
import dev.secretrotator.config.RotatorConfig;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.telemetry.Telemetry;
import dev.secretrotator.testing.FaultInjector;
import dev.secretrotator.testing.Json;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue 13 item 7: sweep, emergency, rollback and repair refuse a secret outside
 * {@code ROTATOR_ALLOWED_SECRET_ARNS} as the rotation steps do, before any call that changes something.
 */
@ExtendWith({Moto.class, LeakCheck.class})
class AllowListOperationsIT {
    static final Map<String, String> ENV = Map.of("ROTATOR_ALLOWED_SECRET_ARNS", "arn:aws:secretsmanager:*:*:secret:allowed/*");
    /** Secrets Manager calls that change something. */
    static final Set<String> WRITES = Set.of("putSecretValue", "updateSecretVersionStage", "tagResource", "untagResource",
            "rotateSecret", "updateSecret", "deleteSecret");

    TestRotator setup;
    TestRotator pinned;
    FaultInjector opsCalls = new FaultInjector();
    Operations ops;
    String allowed;
    String other;

    @BeforeEach
    void setUp(MotoServer moto) {
        // two secrets rotated once by an unpinned function: each has AWSCURRENT and AWSPREVIOUS
        setup = new TestRotator(moto);
        allowed = setup.createSecret("allowed/db", "{\"provider\":\"random-password\",\"password\":\"first-password-a\"}");
        other = setup.createSecret("other-team/db", "{\"provider\":\"random-password\",\"password\":\"first-password-b\"}");
        setup.driver.rotate(allowed);
        setup.driver.rotate(other);
        pinned = new TestRotator(moto, ENV);
        SecretsManagerClient client = opsCalls.wrap(SecretsManagerClient.class, setup.client);
        ops = Components.of(ProviderServices.builder().config(RotatorConfig.fromEnv(ENV)).telemetry(Telemetry.stdout())
                .client(SecretsManagerClient.class, () -> client).build()).operations();
    }

    @Test
    void sweep_reportsASecretOutsideTheAllowListRefused_andSweepsTheOthers() {
        // WHEN the pinned function sweeps both
        String report = pinned.sweep(other, allowed);

        // THEN the other team's secret is refused by name, the allowed one swept, and nothing written to the refused one
        List<Map<String, Object>> lines = lines(report);
        assertThat(lines.get(0)).containsEntry("secretId", other).containsEntry("action", "REFUSED");
        assertThat((String) lines.get(0).get("detail")).contains(other).contains("may not sweep")
                .contains("ROTATOR_ALLOWED_SECRET_ARNS");
        assertThat(lines.get(1)).containsEntry("secretId", allowed).containsEntry("provider", "random-password")
                .containsEntry("action", "NOTHING");
        assertThat(writesTo(pinned.faults, other)).isZero();
    }

    @Test
    void emergency_ofASecretOutsideTheAllowList_isRefused_beforeAnyChange() {
        Map<String, List<String>> stages = setup.stages(other);
        String value = setup.value(other, "AWSCURRENT");

        Throwable refused = catchThrowable(() -> ops.emergency().run(other));

        assertRefused(refused, "run an emergency rotation of");
        assertThat(setup.stages(other)).isEqualTo(stages);
        assertThat(setup.value(other, "AWSCURRENT")).isEqualTo(value);
    }

    @Test
    void rollback_ofASecretOutsideTheAllowList_isRefused_beforeAnyChange() {
        Map<String, List<String>> stages = setup.stages(other);

        Throwable refused = catchThrowable(() -> ops.rollback().run(other));

        assertRefused(refused, "roll back");
        assertThat(setup.stages(other)).isEqualTo(stages);
    }

    @Test
    void rollbackEvent_ofASecretOutsideTheAllowList_isRefused() {
        Map<String, List<String>> stages = setup.stages(other);

        Throwable refused = catchThrowable(() -> pinned.driver.invokeRaw(Json.write(Map.of("action", "rollback", "secretId", other))));

        assertThat(refused).hasMessageContaining("may not roll back " + other);
        assertThat(setup.stages(other)).isEqualTo(stages);
        assertThat(writesTo(pinned.faults, other)).isZero();
    }

    @Test
    void repair_ofASecretOutsideTheAllowList_isRefused_andTheLabelStays() {
        // GIVEN an abandoned rotation of the other team's secret
        String stuck = setup.driver.startRotation(other);
        setup.driver.invoke("createSecret", other, stuck);

        Throwable refused = catchThrowable(() -> ops.repair().run(other, true));

        assertRefused(refused, "repair");
        assertThat(setup.stages(other).get(stuck)).contains("AWSPENDING");
    }

    @Test
    void operations_onAnAllowedSecret_stillWork() {
        assertThat(ops.repair().run(allowed, false).stuck()).isFalse();
        assertThat(ops.rollback().run(allowed)).isNotEmpty();
    }

    private void assertRefused(Throwable refused, String operation) {
        assertThat(refused).isInstanceOf(RotationStateException.class)
                .hasMessageContaining("this function may not " + operation + " " + other)
                .hasMessageContaining("ROTATOR_ALLOWED_SECRET_ARNS").hasMessageContaining("nothing was changed");
        assertThat(writesTo(opsCalls, other)).isZero();
    }

    /** How many changing calls went through {@code calls} (this test's secrets are told apart by name). */
    private static long writesTo(FaultInjector calls, String arn) {
        return calls.requests().stream().filter(r -> WRITES.stream().anyMatch(w -> r.getClass().getSimpleName()
                .toLowerCase().startsWith(w.toLowerCase()))).filter(r -> r.toString().contains(arn)).count();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(String report) {
        return (List<Map<String, Object>>) Json.object(report).get("sweep");
    }
}
