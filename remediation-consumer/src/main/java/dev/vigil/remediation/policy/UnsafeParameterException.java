package dev.vigil.remediation.policy;

/** An alert field that cannot go into an action's parameter: missing, or unsafe (a path or option in disguise). */
public final class UnsafeParameterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnsafeParameterException(String parameter, String field, String reason) {
        super("parameter '" + parameter + "' (" + field + "): " + reason);
    }
}
