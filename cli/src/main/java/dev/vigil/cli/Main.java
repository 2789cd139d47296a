package dev.vigil.cli;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;

import dev.vigil.runtime.security.AccessFileException;
import dev.vigil.stack.StackException;
import picocli.CommandLine;

/** Entry point of the {@code vigil} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Vigil's error handling: known failures print one clear line, not a stack trace. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new VigilCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof StackException || e instanceof ConfigException || e instanceof KafkaException
                    || e instanceof IllegalArgumentException || e instanceof AccessFileException) {
                cmd.getErr().println("vigil: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            throw e;
        });
        return commandLine;
    }
}
