package dev.vigil.schemas;

import java.util.Map;

/**
 * What a sample on {@code vigil.metrics} may be named and labelled: the one definition that every producer
 * (the agent's push endpoint, the gateway) checks before publishing and the streams application checks again
 * before scoring, so that nothing one side accepts is refused by the other. docs/topics.md states the same rules.
 *
 * <p>Metric names take OpenTelemetry's instrument-name characters plus {@code :}, which Prometheus' recording
 * rules use; label names take Prometheus' characters plus {@code .}, which OpenTelemetry's attribute names use.
 * The checks are loops rather than regular expressions: the streams application runs them on every sample.
 * Each check returns what is wrong in words, or null; callers put their own location in front
 * ({@code samples[3].name: ...}).
 */
public final class MetricContract {

    /** Longest metric name, in characters (OpenTelemetry's limit). */
    public static final int MAX_METRIC_NAME = 255;
    /** Most labels on one sample. */
    public static final int MAX_LABELS = 32;
    /** Longest label name, in characters. */
    public static final int MAX_LABEL_NAME = 128;
    /** Longest label value, in characters. */
    public static final int MAX_LABEL_VALUE = 1024;
    /** Longest unit, in characters (OpenTelemetry's limit). */
    public static final int MAX_UNIT = 63;

    /** The metric-name rule in words, for error messages. */
    public static final String METRIC_NAME_RULE =
            "an ASCII letter, then up to " + (MAX_METRIC_NAME - 1) + " letters, digits or _ . : / -";
    /** The label-name rule in words, for error messages. */
    public static final String LABEL_NAME_RULE =
            "an ASCII letter or _, then up to " + (MAX_LABEL_NAME - 1) + " letters, digits, _ or .";

    /** What a host id may be, as {@link #isHostId} checks it. */
    public static final String HOST_ID_RULE = "1-253 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";
    private static final int MAX_HOST_ID = 253;

    private MetricContract() {
    }

    /** Whether {@code id} is a host id: {@value #HOST_ID_RULE} (what an agent's {@code host.id} may be). */
    public static boolean isHostId(String id) {
        // By hand rather than by the regular expression it states: the gateway asks this for every sample it takes.
        int length = id.length();
        if (length == 0 || length > MAX_HOST_ID || !isAsciiLetterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = id.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || isDigit(c);
    }

    /** Whether {@code name} is a metric name: {@value #METRIC_NAME_RULE}. */
    public static boolean isMetricName(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_METRIC_NAME || !isAsciiLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = name.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} is a label name: {@value #LABEL_NAME_RULE}. */
    public static boolean isLabelName(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_LABEL_NAME || !(isAsciiLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = name.charAt(i);
            if (!(isAsciiLetter(c) || isDigit(c) || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** What is wrong with {@code name} as a metric name, or null. */
    public static String metricNameProblem(String name) {
        return isMetricName(name) ? null : "name '" + abbreviate(name) + "' is not a metric name (" + METRIC_NAME_RULE + ")";
    }

    /** What is wrong with {@code value} as a sample's value, or null. */
    public static String valueProblem(double value) {
        return Double.isFinite(value) ? null : "value " + value + " is not finite";
    }

    /** What is wrong with {@code unit}, or null. */
    public static String unitProblem(String unit) {
        return unit.length() <= MAX_UNIT ? null : "unit of " + unit.length() + " characters, at most " + MAX_UNIT + " allowed";
    }

    /** What is wrong with one label, or null. */
    public static String labelProblem(String name, String value) {
        if (!isLabelName(name)) {
            return "label name '" + abbreviate(name) + "' is not a label name (" + LABEL_NAME_RULE + ")";
        }
        if (value.length() > MAX_LABEL_VALUE) {
            return "label '" + name + "' has a value of " + value.length() + " characters, at most " + MAX_LABEL_VALUE + " allowed";
        }
        return null;
    }

    /** What is wrong with a sample's labels (their number, then the first wrong label), or null. */
    public static String labelsProblem(Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            return labels.size() + " labels, at most " + MAX_LABELS + " allowed";
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String problem = labelProblem(label.getKey(), label.getValue());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Names in messages are cut at 64 characters: a message names the problem, it does not echo a megabyte. */
    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
