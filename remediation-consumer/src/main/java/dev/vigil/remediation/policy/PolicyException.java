package dev.vigil.remediation.policy;

/** A policy file that cannot be used, with the line and the reason. */
public final class PolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;

    public PolicyException(int line, String reason) {
        super("policy line " + line + ": " + reason);
        this.line = line;
    }

    /** 1-based line of the policy file the problem is on. */
    public int line() {
        return line;
    }
}
