package dev.vigil.remediation.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.Severity;

/**
 * Which alerts a rule acts on. Every condition given must hold; an empty match takes every alert.
 *
 * @param metric      the alert's metric matches this pattern in full (series alerts only)
 * @param hostLabels  each label equals the host's
 * @param minSeverity the alert's severity is at least this
 * @param minDuration the alert has lasted at least this long at the event
 * @param scope       SERIES or HOST only
 * @param kind        ANOMALY, PREDICTED or HOST_SILENT only
 */
public record AlertMatch(Optional<Pattern> metric, Map<String, String> hostLabels, Severity minSeverity,
                         Duration minDuration, Optional<AlertScope> scope, Optional<AlertKind> kind) {

    /** Every alert. */
    public static final AlertMatch ANY = new AlertMatch(Optional.empty(), Map.of(), Severity.INFO, Duration.ZERO, Optional.empty(),
            Optional.empty());

    public AlertMatch {
        Objects.requireNonNull(metric, "metric can't be null");
        hostLabels = Map.copyOf(hostLabels);
        Objects.requireNonNull(minSeverity, "minSeverity can't be null");
        Objects.requireNonNull(minDuration, "minDuration can't be null");
        Objects.requireNonNull(scope, "scope can't be null");
        Objects.requireNonNull(kind, "kind can't be null");
    }

    public boolean matches(Alert alert) {
        if (metric.isPresent() && (alert.getMetric() == null || !metric.get().matcher(alert.getMetric()).matches())) {
            return false;
        }
        for (Map.Entry<String, String> label : hostLabels.entrySet()) {
            if (!label.getValue().equals(alert.getHostLabels().get(label.getKey()))) {
                return false;
            }
        }
        if (alert.getSeverity().ordinal() < minSeverity.ordinal()) {
            return false;
        }
        Duration lasted = Duration.between(alert.getStartedAt(), alert.getEventTime());
        return lasted.compareTo(minDuration) >= 0 && scope.map(s -> s == alert.getScope()).orElse(true)
                && kind.map(k -> k == alert.getKind()).orElse(true);
    }
}
