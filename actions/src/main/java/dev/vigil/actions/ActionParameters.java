package dev.vigil.actions;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a value from outside (an alert field, a command sent to a host) may be before it becomes part of an
 * action: letters, digits and {@code _ . : @ / + = -}, at most 255 of them, not starting with {@code -}
 * (option injection) and without {@code ..} (path traversal). No whitespace, quotes, shell or glob characters.
 */
public final class ActionParameters {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:@/+=-]{1,255}");

    private ActionParameters() {
    }

    public static boolean isSafe(String value) {
        return value != null && SAFE.matcher(value).matches() && !value.startsWith("-") && !value.contains("..");
    }

    /** The name of the first parameter whose value is not safe, or null if all are. */
    public static String firstUnsafe(Map<String, String> parameters) {
        return parameters.entrySet().stream().filter(p -> !isSafe(p.getValue())).map(Map.Entry::getKey).sorted().findFirst().orElse(null);
    }

    /** What {@link #isSafe} allows, for messages. */
    public static String rule() {
        return "letters, digits and _ . : @ / + = - only; no '..', no leading '-'";
    }
}
