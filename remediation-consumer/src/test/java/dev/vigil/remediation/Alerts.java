package dev.vigil.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.Severity;

/** Alerts, and the scores around them, for the tests. */
public final class Alerts {

    public static final Instant T0 = Instant.parse("2026-11-02T12:00:00Z");

    private Alerts() {
    }

    public static Alert opened(String alertId, String host, String metric, Map<String, String> labels) {
        return Alert.newBuilder().setAlertId(alertId).setFingerprint(host + "/" + metric).setEvent(AlertEvent.OPENED)
                .setScope(AlertScope.SERIES).setSeverity(Severity.CRITICAL).setHostId(host).setHostLabels(Map.of("role", "web"))
                .setMetric(metric).setLabels(labels).setStartedAt(T0.minusSeconds(300)).setEventTime(T0).setResolvedAt(null)
                .setValue(1).setExpected(0).setLower(0).setUpper(0.5).setPeakScore(0.95).setLastScore(0.95)
                .setEvidence(List.of()).setSummary("").setLinks(Map.of()).build();
    }

    /** A later event of {@code alert}: the streams application's UPDATED heartbeat or its RESOLVED, with the value then. */
    public static Alert later(Alert alert, AlertEvent event, double value, double lastScore) {
        return Alert.newBuilder(alert).setEvent(event).setEventTime(alert.getEventTime().plusSeconds(60)).setValue(value)
                .setLastScore(lastScore).setResolvedAt(event == AlertEvent.RESOLVED ? alert.getEventTime().plusSeconds(60) : null).build();
    }

    /** A score of one series, as the streams application publishes it in a ScoreBatch. */
    public static AnomalyScore score(String host, String metric, Map<String, String> labels, double value, double lower, double upper) {
        return AnomalyScore.newBuilder().setHostId(host).setMetric(metric).setLabels(labels).setSeriesId(host + "/" + metric + labels)
                .setTimestamp(T0).setValue(value).setExpected((lower + upper) / 2).setLower(lower).setUpper(upper)
                .setScore(value >= lower && value <= upper ? 0 : 0.97).setAnomalous(value < lower || value > upper).build();
    }
}
