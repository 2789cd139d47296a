package dev.vigil.actions;

/**
 * A setting of an action that cannot be used: which key, and why. Whoever read the settings (the remediation
 * policy, the agent's config) turns it into its own error, naming where the key was written.
 */
public final class ActionSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ActionSettingException(String key, String reason) {
        super(reason);
        this.key = key;
    }

    /** The setting at fault, or null when the settings as a whole are (a key missing, two keys that exclude each other). */
    public String key() {
        return key;
    }
}
