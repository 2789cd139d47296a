package dev.vigil.remediation.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.actions.ActionParameters;
import dev.vigil.avro.Alert;

/**
 * What a rule does: an executor (one of {@code ExecutorTypes.STANDARD}: {@code command}, {@code webhook},
 * {@code host-agent}), the name of the action it knows, and parameters that may name alert fields as
 * {@code {{host_id}}}, {@code {{metric}}}, {@code {{label.NAME}}} or {@code {{host_label.NAME}}}.
 */
public record ActionSpec(String executor, String name, Map<String, String> parameters) {

    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*([a-z_]+)(?:\\.([A-Za-z0-9_.-]+))?\\s*}}");

    public ActionSpec {
        Objects.requireNonNull(executor, "executor can't be null");
        Objects.requireNonNull(name, "name can't be null");
        parameters = Map.copyOf(parameters);
    }

    /** {@code executor:name}, as decisions and the audit trail record it. */
    public String id() {
        return executor + ":" + name;
    }

    /** The alert fields a template may name. */
    static boolean isKnownField(String field, String key) {
        return switch (field) {
            case "host_id", "metric", "alert_id", "fingerprint", "severity" -> key == null;
            case "label", "host_label" -> key != null;
            default -> false;
        };
    }

    /** Checks every {@code {{...}}} in the parameters names a known alert field; returns the first that does not. */
    static String unknownField(Map<String, String> parameters) {
        for (String template : parameters.values()) {
            Matcher matcher = FIELD.matcher(template);
            while (matcher.find()) {
                if (!isKnownField(matcher.group(1), matcher.group(2))) {
                    return matcher.group();
                }
            }
        }
        return null;
    }

    /** Whether any parameter names an alert field: whether {@link #resolve} needs the alert. */
    public boolean namesAlertFields() {
        return parameters.values().stream().anyMatch(template -> FIELD.matcher(template).find());
    }

    /**
     * The parameters with the alert's fields filled in.
     *
     * @throws UnsafeParameterException naming the parameter and field, when a field is missing from the alert
     *                                  or its value could smuggle a path or an option into an action
     */
    public Map<String, String> resolve(Alert alert) {
        Map<String, String> resolved = new LinkedHashMap<>();
        parameters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(parameter -> {
            Matcher matcher = FIELD.matcher(parameter.getValue());
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String value = field(alert, matcher.group(1), matcher.group(2));
                if (value == null) {
                    throw new UnsafeParameterException(parameter.getKey(), matcher.group(), "the alert has no such field");
                }
                if (!ActionParameters.isSafe(value)) { // what an alert brings in is never trusted
                    throw new UnsafeParameterException(parameter.getKey(), matcher.group(),
                            "value '" + printable(value) + "' is not allowed (" + ActionParameters.rule() + ")");
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(out);
            resolved.put(parameter.getKey(), out.toString());
        });
        return resolved;
    }

    private static String field(Alert alert, String field, String key) {
        return switch (field) {
            case "host_id" -> alert.getHostId();
            case "metric" -> alert.getMetric();
            case "alert_id" -> alert.getAlertId();
            case "fingerprint" -> alert.getFingerprint();
            case "severity" -> alert.getSeverity().name();
            case "label" -> alert.getLabels().get(key);
            case "host_label" -> alert.getHostLabels().get(key);
            default -> null;
        };
    }

    private static String printable(String value) {
        String shown = value.length() > 64 ? value.substring(0, 61) + "..." : value;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
