package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.secretrotator.TestRotator;
import dev.secretrotator.handler.Components;
import dev.secretrotator.provider.ProviderServices;
import dev.secretrotator.testing.LeakCheck;
import dev.secretrotator.testing.Moto;
import dev.secretrotator.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The command line in-process against moto: what operators see on stdout and stderr, and the exit codes. */
@ExtendWith({Moto.class, LeakCheck.class})
class CliIT {
    static final String PASSWORD = "{\"provider\":\"random-password\",\"password\":\"initial-password\"}";

    TestRotator rotator;
    CliRun cli;

    @BeforeEach
    void setUp(MotoServer moto) {
        rotator = new TestRotator(moto);
        SecretsManagerClient client = rotator.client;
        cli = new CliRun(Map.of(), telemetry -> Components.of(ProviderServices.builder().telemetry(telemetry)
                .client(SecretsManagerClient.class, () -> client).build()));
    }

    @Test
    void help_withARealSecret_changesNothing() {
        // GIVEN
        String arn = rotator.createSecret("cli/help", PASSWORD);
        Map<String, List<String>> before = rotator.stages(arn);

        // WHEN every destructive command is asked for help
        for (String command : List.of("emergency", "rollback", "repair", "rotate")) {
            assertThat(cli.run(command, arn, "--help")).isZero();
        }
        assertThat(cli.run("repair", arn, "--apply", "--help")).isZero();

        // THEN the emulator saw nothing: no client was built, the secret is as it was
        assertThat(cli.componentsBuilt).hasValue(0);
        assertThat(rotator.stages(arn)).isEqualTo(before);
        assertThat(rotator.value(arn, "AWSCURRENT")).isEqualTo(PASSWORD);
    }

    @Test
    void rotate_ofASecretOutsideTheAllowList_exits1_andStagesNothing() {
        // GIVEN a secret with rotation on, and a function pinned to other secrets
        String arn = rotator.createSecret("cli/not-ours", PASSWORD);
        rotator.driver.enableRotation(arn);
        Map<String, List<String>> before = rotator.stages(arn);
        SecretsManagerClient client = rotator.client;
        CliRun pinned = new CliRun(Map.of(), telemetry -> Components.of(ProviderServices.builder().telemetry(telemetry)
                .config(dev.secretrotator.config.RotatorConfig.fromEnv(Map.of(
                        "ROTATOR_ALLOWED_SECRET_ARNS", "arn:aws:secretsmanager:*:*:secret:team-a/*")))
                .client(SecretsManagerClient.class, () -> client).build()));

        // WHEN
        int exit = pinned.run("rotate", arn);

        // THEN refused before RotateSecret: no AWSPENDING version is left behind
        assertThat(exit).isEqualTo(1);
        assertThat(pinned.stderr()).contains("may not rotate " + arn).contains("ROTATOR_ALLOWED_SECRET_ARNS");
        assertThat(rotator.stages(arn)).isEqualTo(before);
    }

    @Test
    void rotate_printsStepsOnStdout_andLogsNothingThereByDefault() {
        String arn = rotator.createSecret("cli/rotate", PASSWORD);
        rotator.driver.enableRotation(arn);

        assertThat(cli.run("rotate", arn)).as(cli.stderr()).isZero();

        assertThat(cli.stdout()).contains("createSecret  ok").contains("finishSecret  ok").contains("rotated " + arn)
                .doesNotContain("\"level\"").doesNotContain("_aws");
        assertThat(cli.stderr()).doesNotContain("step succeeded");
    }

    @Test
    void rotate_withLogLevelInfo_putsTheFunctionLogOnStderr_andJsonOnStdout() throws Exception {
        String arn = rotator.createSecret("cli/rotate-json", PASSWORD);
        rotator.driver.enableRotation(arn);

        assertThat(cli.run("rotate", arn, "--json", "--log-level", "info")).as(cli.stderr()).isZero();

        Map<String, Object> result = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(cli.stdout());
        assertThat(result).containsEntry("outcome", "rotated").containsEntry("secretId", arn);
        assertThat(cli.stderr()).contains("\"message\":\"step succeeded\"").contains("\"provider\":\"random-password\"");
    }

    @Test
    void rotate_whenAStepFails_saysWhereItStopped_theStateNow_andTheRepairCommand() {
        // GIVEN an IAM secret with rotation on, and no IAM client: createSecret fails
        String arn = rotator.createSecret("cli/fails", "{\"provider\":\"aws-iam\",\"userName\":\"ci\",\"accessKeyId\":\"AKIAEXAMPLE0000001\","
                + "\"secretAccessKey\":\"never-printed-secret\"}");
        rotator.driver.enableRotation(arn);
        LeakCheck.sensitive("never-printed-secret");

        // WHEN
        int exit = cli.run("rotate", arn);

        // THEN
        assertThat(exit).isEqualTo(1);
        assertThat(cli.stderr()).contains("error: ").contains("stopped at: step createSecret")
                .contains("AWSPENDING left on version").contains("rotation enabled")
                .contains("java -jar secret-rotator.jar repair " + arn + " --apply --yes")
                .contains("java -jar secret-rotator.jar rotate " + arn);
        assertThat(rotator.stages(arn).values()).anyMatch(s -> s.contains("AWSPENDING"));
    }

    @Test
    void rotate_withCleanupOnFailure_leavesTheSecretAsItFoundIt() {
        // GIVEN an IAM secret with rotation on, and no IAM client: createSecret fails
        String arn = rotator.createSecret("cli/cleanup", "{\"provider\":\"aws-iam\",\"userName\":\"ci\",\"accessKeyId\":\"AKIAEXAMPLE0000002\","
                + "\"secretAccessKey\":\"never-printed-secret-2\"}");
        LeakCheck.sensitive("never-printed-secret-2");
        rotator.driver.enableRotation(arn);
        Map<String, List<String>> before = rotator.stages(arn);

        // WHEN
        assertThat(cli.run("rotate", arn, "--cleanup-on-failure")).isEqualTo(1);

        // THEN the pending version is gone and rotation is still on, as it was found (rotate never turns it on or off)
        assertThat(cli.stderr()).contains("cleanup:    removed AWSPENDING").doesNotContain("turned rotation off")
                .contains("no AWSPENDING left").contains("rotation enabled");
        assertThat(labelled(rotator.stages(arn))).isEqualTo(labelled(before)); // an unlabelled version may stay, as on AWS
        assertThat(rotator.client.describeSecret(b -> b.secretId(arn)).rotationEnabled()).isTrue();
    }

    @Test
    void rotate_whenRotationIsOff_exits1_tellingHowToEnableIt_andWritesNothing() {
        // GIVEN a secret whose rotation was never turned on, and a client that counts every call
        String arn = rotator.createSecret("cli/rotation-off", PASSWORD);
        Map<String, List<String>> before = rotator.stages(arn);
        dev.secretrotator.testing.FaultInjector calls = new dev.secretrotator.testing.FaultInjector();
        SecretsManagerClient counted = calls.wrap(SecretsManagerClient.class, rotator.client);
        CliRun counting = new CliRun(Map.of(), telemetry -> Components.of(ProviderServices.builder().telemetry(telemetry)
                .client(SecretsManagerClient.class, () -> counted).build()));

        // WHEN
        int exit = counting.run("rotate", arn, "--cleanup-on-failure");

        // THEN it refused, saying how to turn rotation on, and the emulator saw reads only
        assertThat(exit).isEqualTo(1);
        assertThat(counting.stderr()).contains("error: ").contains("rotation is not enabled for secret " + arn)
                .contains("Nothing was changed").contains("aws secretsmanager rotate-secret --secret-id " + arn)
                .contains("rotation disabled").contains("next:       turn rotation on for the secret");
        assertThat(calls.allCalls().keySet()).allMatch(m -> m.startsWith("describe") || m.startsWith("get")
                || m.startsWith("list") || m.equals("serviceName") || m.equals("close"), "read-only calls");
        assertThat(rotator.stages(arn)).isEqualTo(before);
        assertThat(rotator.client.describeSecret(b -> b.secretId(arn)).rotationEnabled()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void status_showsHealthyStuckAndMisconfigured_andExits3() {
        // GIVEN one healthy, one stuck, one with a value no provider can read, all rotation-enabled
        String healthy = rotator.createSecret("cli/status-healthy", PASSWORD);
        rotator.driver.enableRotation(healthy);
        assertThat(cli.run("rotate", healthy)).isZero();
        String stuck = rotator.createSecret("cli/status-stuck", PASSWORD);
        rotator.driver.startRotation(stuck);
        String broken = rotator.createSecret("cli/status-broken", "{\"password\":\"no-provider-field\"}");
        rotator.driver.startRotation(broken);

        // WHEN status runs without naming any
        int exit = cli.run("status");

        // THEN all three appear, with what is wrong
        assertThat(exit).isEqualTo(3);
        assertThat(cli.stdout()).containsPattern("HEALTHY +random-password .*" + healthy)
                .containsPattern("STUCK +random-password .*" + stuck)
                .containsPattern("MISCONFIGURED +- .*" + broken)
                .contains("run repair " + stuck + " --apply")
                .contains("need(s) attention");
    }

    @Test
    void status_ofASecretPastItsSchedule_saysOverdue_asJsonToo() throws Exception {
        // GIVEN a secret rotated today, and a clock 60 days on (its schedule is every 30 days)
        String arn = rotator.createSecret("cli/status-overdue", PASSWORD);
        rotator.driver.enableRotation(arn);
        assertThat(cli.run("rotate", arn)).isZero();
        SecretsManagerClient client = rotator.client;
        CliRun later = new CliRun(Map.of(), telemetry -> Components.of(ProviderServices.builder().telemetry(telemetry)
                .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(60)))
                .client(SecretsManagerClient.class, () -> client).build()));

        // WHEN
        int exit = later.run("status", arn, "--json");

        // THEN
        assertThat(exit).isEqualTo(3);
        List<Object> all = com.fasterxml.jackson.jr.ob.JSON.std.listFrom(later.stdout());
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) all.get(0);
        assertThat(status).containsEntry("health", "overdue").containsEntry("secretId", arn);
        assertThat(later.stderr()).isEmpty();
    }

    @Test
    void repair_apply_withoutYes_andNoTerminal_diagnosesButChangesNothing() {
        String arn = rotator.createSecret("cli/repair-unconfirmed", PASSWORD);
        String token = rotator.driver.startRotation(arn);

        assertThat(cli.run("repair", arn, "--apply")).isEqualTo(2);

        assertThat(cli.stderr()).contains("REPAIR of " + arn + ": removes AWSPENDING from version " + token).contains("add --yes");
        assertThat(rotator.stages(arn).get(token)).contains("AWSPENDING");
    }

    @Test
    void status_withFunction_listsOnlyTheSecretsWhoseRotationPointsAtIt() {
        // GIVEN one secret rotated by the function under test, one by another function
        String ours = rotator.createSecret("cli/status-ours", "{\"provider\":\"nope\"}");
        rotator.driver.startRotation(ours); // ServiceDriver.FUNCTION_ARN: ...:function:secret-rotator-under-test
        String theirs = rotator.createSecret("cli/status-theirs", PASSWORD);
        LocalMoto.enableRotation(rotator.client, theirs); // ...:function:secret-rotator-local
        assertThat(cli.run("rotate", theirs)).isZero();

        // WHEN
        int exit = cli.run("status", "--function", "secret-rotator-under-test");

        // THEN the broken one of ours is there, with its reason; theirs is not
        assertThat(exit).isEqualTo(3);
        assertThat(cli.stdout()).contains(ours).contains("unknown provider 'nope'").doesNotContain(theirs);
    }

    @Test
    void rotate_deniedByIam_namesTheAction_theResource_andThePrincipal(MotoServer moto) {
        // GIVEN an operator whose IAM user has no policy, and moto checking every request
        software.amazon.awssdk.services.iam.IamClient iam = moto.configure(software.amazon.awssdk.services.iam.IamClient.builder()).build();
        iam.createUser(b -> b.userName("oncall"));
        var key = iam.createAccessKey(b -> b.userName("oncall")).accessKey();
        LeakCheck.sensitive(key.secretAccessKey());
        String arn = rotator.createSecret("cli/denied", PASSWORD);
        SecretsManagerClient asOncall = moto.configure(SecretsManagerClient.builder(),
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())).build();
        CliRun oncall = new CliRun(Map.of(), telemetry -> Components.of(ProviderServices.builder().telemetry(telemetry)
                .client(SecretsManagerClient.class, () -> asOncall).build()));

        // WHEN
        moto.enforceAuthentication();
        int exit;
        try {
            exit = oncall.run("rotate", arn);
        } finally {
            moto.relaxAuthentication();
        }

        // THEN
        assertThat(exit).isEqualTo(1);
        assertThat(oncall.stderr()).contains("error: ").contains("access denied: arn:aws:iam::123456789012:user/oncall may not call"
                + " secretsmanager:DescribeSecret").contains(arn).doesNotContain(key.secretAccessKey());
    }

    @Test
    void status_ofARandomPasswordSecret_showsNoGracePeriod() {
        String arn = rotator.createSecret("cli/status-grace", PASSWORD);
        rotator.driver.enableRotation(arn);
        assertThat(cli.run("rotate", arn)).isZero();

        assertThat(cli.run("status", arn)).isZero();

        assertThat(cli.stdout()).contains("AWSPREVIOUS").doesNotContain("grace period").contains("all healthy");
    }

    @Test
    void sweep_reportsTheSecretsItSkipped_andWhy() {
        String broken = rotator.createSecret("cli/sweep-broken", "not json at all");
        rotator.driver.startRotation(broken);

        assertThat(cli.run("sweep")).as(cli.stderr()).isZero();

        assertThat(cli.stdout()).containsPattern("SKIPPED .*" + broken + "\\R +.*JSON");
    }

    @Test
    void emergency_withYes_printsATable_notAJavaMap() {
        String arn = rotator.createSecret("cli/emergency", PASSWORD);
        rotator.driver.enableRotation(arn);
        assertThat(cli.run("rotate", arn)).isZero();

        int exit = cli.run("emergency", arn, "--yes");

        assertThat(exit).as(cli.stderr()).isZero();
        assertThat(cli.stderr()).contains("EMERGENCY rotation of " + arn + ": revokes");
        assertThat(cli.stdout()).contains("EMERGENCY rotation of " + arn + " done: AWSCURRENT is now version")
                .contains("REVOKED").doesNotContain("{credentialId=").doesNotContain("action=");
    }

    @Test
    void rollback_atATerminal_answeredYes_rollsBack() {
        String arn = rotator.createSecret("cli/rollback-yes", PASSWORD);
        rotator.driver.enableRotation(arn);
        assertThat(cli.run("rotate", arn)).isZero();
        CliRun terminal = new CliRun(Map.of(), telemetry -> Components.of(ProviderServices.builder().telemetry(telemetry)
                .client(SecretsManagerClient.class, () -> rotator.client).build())).atTerminal("yes\n");

        assertThat(terminal.run("rollback", arn)).as(terminal.stderr()).isZero();

        assertThat(terminal.stderr()).contains("ROLLBACK of " + arn).contains("Type yes to go ahead");
        assertThat(terminal.stdout()).contains("rolled back " + arn);
        assertThat(rotator.value(arn, "AWSCURRENT")).isEqualTo(PASSWORD);
    }

    @Test
    void rollback_afterAnEmergency_isRefused_andWithForceRestoresTheLeakedValue() {
        // GIVEN an emergency rotation of a password that leaked
        String arn = rotator.createSecret("cli/rollback-force", PASSWORD);
        rotator.driver.enableRotation(arn);
        assertThat(cli.run("emergency", arn, "--yes")).as(cli.stderr()).isZero();
        Map<String, List<String>> afterEmergency = rotator.stages(arn);

        // WHEN rolled back without --force THEN refused, nothing changed, and the way out is named
        assertThat(cli.run("rollback", arn, "--yes")).isEqualTo(1);
        assertThat(cli.stderr()).contains("revoked by an emergency rotation").contains("--force");
        assertThat(rotator.stages(arn)).isEqualTo(afterEmergency);

        // WHEN forced THEN the warning is stated first and the leaked value is current again
        assertThat(cli.run("rollback", arn, "--yes", "--force")).as(cli.stderr()).isZero();
        assertThat(cli.stderr()).contains("FORCED");
        assertThat(cli.stdout()).contains("rolled back " + arn);
        assertThat(rotator.value(arn, "AWSCURRENT")).isEqualTo(PASSWORD);
    }

    @Test
    void repair_applyWithYes_clearsAStuckRotation_andTheRunbookSequenceWorks() {
        // GIVEN a stuck rotation
        String arn = rotator.createSecret("cli/repair", PASSWORD);
        rotator.driver.startRotation(arn);

        // WHEN the runbook's commands run as written: status, repair, repair --apply --yes, rotate
        assertThat(cli.run("status", arn)).isEqualTo(3);
        assertThat(cli.run("repair", arn)).isEqualTo(3);
        assertThat(cli.stdout()).startsWith("STUCK     " + arn);
        assertThat(cli.run("repair", arn, "--apply", "--yes")).isZero();
        assertThat(cli.stdout()).startsWith("REPAIRED  " + arn);
        assertThat(cli.run("rotate", arn)).isZero();

        // THEN
        assertThat(cli.run("status", arn)).isZero();
    }

    /** The versions that hold a staging label, with their labels. */
    private static Map<String, List<String>> labelled(Map<String, List<String>> stages) {
        Map<String, List<String>> out = new java.util.TreeMap<>(stages);
        out.values().removeIf(List::isEmpty);
        return out;
    }
}
