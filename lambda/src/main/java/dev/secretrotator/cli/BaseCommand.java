package dev.secretrotator.cli;

import dev.secretrotator.handler.Components;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * What every command shares: the {@link Cli} it runs in, the {@link Common} options, the
 * function's components (built on first use, so parsing and {@code --help} make no AWS call) and
 * the confirmation of destructive commands.
 */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    Common common;

    private Components components;

    Cli cli() {
        return main.cli;
    }

    PrintStream out() {
        return cli().out();
    }

    PrintStream err() {
        return cli().err();
    }

    Components components() {
        if (components == null) {
            components = cli().components(common);
        }
        return components;
    }

    /** The secret the command works on, for error messages; empty when none or several. */
    String subject() {
        return "";
    }

    /**
     * States on stderr what a destructive command will do, then asks: {@code --yes} answers for
     * scripts; at a terminal the operator types {@code yes}; without a terminal and without
     * {@code --yes} nothing happens.
     *
     * @return the exit status to stop with, or -1 to go ahead
     */
    int confirm(boolean yes, String plan) {
        err().println(plan);
        if (yes) {
            return -1;
        }
        if (!cli().interactive()) {
            err().println("error: not confirmed: stdin is not a terminal; add --yes to run it from a script. Nothing was changed.");
            return 2;
        }
        err().print("Type yes to go ahead: ");
        err().flush();
        try {
            String answer = cli().in().readLine();
            if (answer != null && answer.trim().equalsIgnoreCase("yes")) {
                return -1;
            }
        } catch (IOException e) {
            // no answer is no
        }
        err().println("aborted: nothing was changed.");
        return 1;
    }
}
