package dev.vigil.cli;

/** Exit codes of the {@code vigil} command, shared by every subcommand. */
final class ExitCodes {

    static final int OK = 0;
    /** The command failed; the message says why. */
    static final int FAILED = 1;
    /** Wrong usage: picocli's own code for bad options. */
    static final int USAGE = 2;
    /** The thing asked about is not running (stack status). */
    static final int NOT_RUNNING = 3;

    private ExitCodes() {
    }
}
