package dev.vigil.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** The {@code vigil} command line run in the test's JVM, what it prints kept for the test to read. */
final class CommandLineRun {

    private CommandLineRun() {
    }

    /** Runs {@code args}; standard output goes to {@code out}, standard error to {@code err}. Returns the exit code. */
    static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
