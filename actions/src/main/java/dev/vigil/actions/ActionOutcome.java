package dev.vigil.actions;

/**
 * How an action ended, for the audit trail.
 *
 * @param succeeded whether it did what it should (exit code 0, HTTP 2xx)
 * @param detail    exit code or HTTP status, and the start of the output, truncated
 */
public record ActionOutcome(boolean succeeded, String detail) {
}
