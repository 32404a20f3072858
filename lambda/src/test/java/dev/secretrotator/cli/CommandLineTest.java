package dev.secretrotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, help, usage errors and confirmations: none of these may reach AWS. */
class CommandLineTest {
    static final String COMMANDS = "invoke,rotate,sweep,status,emergency,rollback,repair,demo,throughput";

    final CliRun cli = CliRun.offline();

    @ParameterizedTest
    @ValueSource(strings = {"invoke", "rotate", "sweep", "status", "emergency", "rollback", "repair", "demo", "throughput"})
    void help_onEverySubcommand_printsItsUsage_andTouchesNothing(String command) {
        // WHEN
        int exit = cli.run(command, "--help");

        // THEN usage on stdout, exit 0, and no AWS client was even built
        assertThat(exit).isZero();
        assertThat(cli.stdout()).contains("Usage: secret-rotator " + command).contains("--json").contains("--log-level");
        assertThat(cli.componentsBuilt).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"invoke", "rotate", "sweep", "status", "emergency", "rollback", "repair", "demo", "throughput"})
    void version_onEverySubcommand_printsTheVersion(String command) {
        assertThat(cli.run(command, "--version")).isZero();
        assertThat(cli.stdout()).startsWith("secret-rotator ");
        assertThat(cli.componentsBuilt).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rotate prod/db --bogus", "status --bogus", "emergency prod/db --bogus", "rollback --bogus prod/db",
            "repair prod/db --bogus", "sweep --bogus", "demo --bogus", "invoke --event e.json --bogus"})
    void unknownOption_isAUsageError_neverASecretId(String line) {
        // WHEN
        int exit = cli.run(line.split(" "));

        // THEN
        assertThat(exit).isEqualTo(2);
        assertThat(cli.stderr()).contains("Unknown option: '--bogus'").contains("Usage: secret-rotator " + line.split(" ")[0]);
        assertThat(cli.stdout()).isEmpty();
        assertThat(cli.componentsBuilt).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"emergency", "rollback", "repair"})
    void unknownOption_alone_isAMissingSecretId_notASecretNamedLikeTheOption(String command) {
        assertThat(cli.run(command, "--bogus")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Missing required parameter: 'SECRET_ID'");
        assertThat(cli.componentsBuilt).hasValue(0);
    }

    @Test
    void emergency_withHelpAfterTheSecretId_stillOnlyPrintsHelp() {
        assertThat(cli.run("emergency", "prod/db", "--help")).isZero();
        assertThat(cli.stdout()).contains("Usage: secret-rotator emergency");
        assertThat(cli.componentsBuilt).hasValue(0);
    }

    @Test
    void noArguments_printsTheOverview_andExits2() {
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.stderr()).contains("error: no command given").contains("Commands:");
        for (String command : COMMANDS.split(",")) {
            if (!command.equals("throughput")) {
                assertThat(cli.stderr()).contains(command);
            }
        }
    }

    @Test
    void unknownCommand_namesIt_andExits2() {
        assertThat(cli.run("rotat")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Unmatched argument at index 0: 'rotat'").contains("Did you mean: secret-rotator rotate");
    }

    @Test
    void rotate_withoutSecretId_isAUsageError() {
        assertThat(cli.run("rotate")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Missing required parameter: 'SECRET_ID'");
    }

    @Test
    void rotate_withTwoSecretIds_isAUsageError() {
        assertThat(cli.run("rotate", "a", "b")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Unmatched argument at index 2: 'b'");
    }

    @Test
    void rollback_withABadWindow_namesTheExpectedForm() {
        assertThat(cli.run("rollback", "prod/db", "--window", "2h", "--yes")).isEqualTo(2);
        assertThat(cli.stderr()).contains("'2h' is not an ISO-8601 duration such as PT2H");
        assertThat(cli.componentsBuilt).hasValue(0);
    }

    @Test
    void badLogLevel_listsTheLevels() {
        assertThat(cli.run("status", "--log-level", "loud")).isEqualTo(2);
        assertThat(cli.stderr()).contains("DEBUG, INFO, WARN, ERROR, OFF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"emergency prod/db", "rollback prod/db"})
    void destructiveCommand_withoutYes_andNoTerminal_statesThePlan_andChangesNothing(String line) {
        // WHEN stdin is not a terminal and --yes is missing
        int exit = cli.run(line.split(" "));

        // THEN it says what it would do, refuses, and never reached AWS
        assertThat(exit).isEqualTo(2);
        assertThat(cli.stderr()).contains("prod/db").contains("add --yes").contains("Nothing was changed");
        assertThat(cli.componentsBuilt).hasValue(0);
    }

    @Test
    void emergency_atATerminal_answeredNo_abortsWithoutTouchingAws() {
        CliRun terminal = CliRun.offline().atTerminal("no\n");

        assertThat(terminal.run("emergency", "prod/db")).isEqualTo(1);
        assertThat(terminal.stderr()).contains("EMERGENCY rotation of prod/db").contains("Type yes to go ahead")
                .contains("aborted: nothing was changed");
        assertThat(terminal.componentsBuilt).hasValue(0);
    }

    @Test
    void invoke_withoutEventFile_isAUsageError() {
        assertThat(cli.run("invoke", "--event", "/nonexistent/event.json")).isEqualTo(2);
        assertThat(cli.stderr()).contains("cannot read event file /nonexistent/event.json");
    }

    @Test
    void invoke_ofAnEventOverLambdasPayloadLimit_callsItThat(@TempDir Path dir) throws IOException {
        // GIVEN a 60 MB event file
        Path big = dir.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(60L * 1024 * 1024);
        }

        // WHEN
        int exit = cli.run("invoke", "--event", big.toString());

        // THEN it is named a payload-limit problem, not a JSON one
        assertThat(exit).isEqualTo(2);
        assertThat(cli.stderr()).contains("is 60.0 MB, over Lambda's 6 MB limit for a synchronous invocation")
                .doesNotContain("not valid JSON");
        assertThat(cli.componentsBuilt).hasValue(0);
    }
}
