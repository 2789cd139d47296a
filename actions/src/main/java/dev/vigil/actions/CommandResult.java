package dev.vigil.actions;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a command ended, for callers that read what it printed ({@code systemctl is-active}).
 *
 * @param exit   its exit code; empty when it did not run or did not end by itself (refused, timed out)
 * @param output what it printed, stripped, at most the first 4 KiB
 * @param detail the whole story for the audit trail, as {@link #outcome} gives it
 */
public record CommandResult(OptionalInt exit, String output, String detail) {

    public CommandResult {
        Objects.requireNonNull(exit, "exit can't be null");
        Objects.requireNonNull(output, "output can't be null");
        Objects.requireNonNull(detail, "detail can't be null");
    }

    public boolean succeeded() {
        return exit.isPresent() && exit.getAsInt() == 0;
    }

    public ActionOutcome outcome() {
        return new ActionOutcome(succeeded(), detail);
    }
}
