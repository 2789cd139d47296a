package dev.vigil.cli;

import dev.vigil.schemas.SilenceContract;
import picocli.CommandLine.Option;

/** The {@code --as NAME} option of the commands a person puts their name to: who, for the audit trail. */
final class ActorOption {

    /** Longest name, in characters (as {@code SilenceContract} allows an author). */
    private static final int MAX = SilenceContract.MAX_NAME;

    @Option(names = "--as", paramLabel = "NAME", description = "Who, for the audit trail (default: your user name).")
    private String name = System.getProperty("user.name");

    /** The name given, or the user's; fails naming the option when it is blank or too long. */
    String get() {
        if (name == null || name.isBlank() || name.length() > MAX) {
            throw new IllegalArgumentException("--as: say who you are, in 1 to " + MAX + " characters");
        }
        return name;
    }
}
