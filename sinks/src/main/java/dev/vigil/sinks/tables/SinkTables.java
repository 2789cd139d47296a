package dev.vigil.sinks.tables;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvidence;
import dev.vigil.avro.AnomalyReason;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.Exhaustion;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.schemas.Topics;
import dev.vigil.sinks.clickhouse.RowBinaryBuffer;

/**
 * The tables the sinks write, one per topic, as the sink writes them; {@link dev.vigil.sinks.clickhouse.SchemaMigrations}
 * makes them (a column added here needs a migration). Column names are snake_case; times are {@code DateTime}
 * (seconds, what Grafana's macros filter on) with the exact milliseconds beside them where they matter;
 * labels are {@code Nested(key, value)} arrays, since 18.16 has no {@code Map}. docs/sinks.md lists them.
 */
public final class SinkTables {

    /** Every sample with its score, from {@code vigil.scores}: one row per sample. */
    public static final SinkTable<ScoreBatch> SAMPLES = new SinkTable<>("vigil_samples", Topics.SCORES, ScoreBatch.class,
            List.of(Column.dictionary("host_id"), Column.dictionary("metric"), Column.labels("labels"), Column.of("series_id", "String"),
                    Column.of("time", "DateTime"), Column.of("time_ms", "UInt64"), Column.of("value", "Float64"),
                    Column.of("expected", "Float64"), Column.of("lower", "Float64"), Column.of("upper", "Float64"),
                    Column.of("score", "Float32"), Column.of("learning", "UInt8"),
                    Column.dictionary("reason"), Column.of("reason_observed", "Float32"), Column.of("reason_usual_low", "Float32"),
                    Column.of("reason_usual_high", "Float32"), Column.of("reason_basis_days", "Float32"),
                    Column.of("anomalous", "UInt8")),
            Optional.of(Duration.ofDays(30))) {
        @Override
        void writeRows(ScoreBatch batch, int partition, long offset, RowBinaryBuffer rows) {
            for (AnomalyScore score : batch.getScores()) {
                long time = score.getTimestamp().toEpochMilli();
                rows.startRow();
                rows.string(score.getHostId()).string(score.getMetric()).nestedMap(score.getLabels()).string(score.getSeriesId())
                        .dateTime(time).int64(time)
                        .float64(score.getValue()).float64(score.getExpected()).float64(score.getLower()).float64(score.getUpper())
                        .float32((float) score.getScore()).bool(score.getLearning())
                        .string(reason(score.getReason())).float32((float) orZero(score.getReasonObserved()))
                        .float32((float) orZero(score.getReasonUsualLow())).float32((float) orZero(score.getReasonUsualHigh()))
                        .float32((float) orZero(score.getReasonBasisDays())).bool(score.getAnomalous());
                endRow(rows, partition, offset);
            }
        }
    };

    /** Closed one-minute and one-hour windows, from {@code vigil.rollups}. */
    public static final SinkTable<Rollup> ROLLUPS = new SinkTable<>("vigil_rollups", Topics.ROLLUPS, Rollup.class,
            List.of(Column.dictionary("host_id"), Column.dictionary("metric"), Column.labels("labels"), Column.of("series_id", "String"),
                    Column.dictionary("resolution"), Column.of("window_start", "DateTime"), Column.of("window_end", "DateTime"),
                    Column.of("count", "UInt64"), Column.of("min", "Float64"), Column.of("max", "Float64"), Column.of("mean", "Float64"),
                    Column.of("last", "Float64"), Column.of("p95", "Float64")),
            Optional.of(Duration.ofDays(400))) {
        @Override
        void writeRows(Rollup rollup, int partition, long offset, RowBinaryBuffer rows) {
            rows.startRow();
            rows.string(rollup.getHostId()).string(rollup.getMetric()).nestedMap(rollup.getLabels()).string(rollup.getSeriesId())
                    .string(rollup.getResolution().name())
                    .dateTime(rollup.getWindowStart().toEpochMilli()).dateTime(rollup.getWindowEnd().toEpochMilli())
                    .int64(rollup.getCount()).float64(rollup.getMin()).float64(rollup.getMax()).float64(rollup.getMean())
                    .float64(rollup.getLast()).float64(rollup.getP95());
            endRow(rows, partition, offset);
        }
    };

    /** What each series is expected to read ahead, from {@code vigil.forecasts}. */
    public static final SinkTable<Forecast> FORECASTS = new SinkTable<>("vigil_forecasts", Topics.FORECASTS, Forecast.class,
            List.of(Column.dictionary("host_id"), Column.dictionary("metric"), Column.labels("labels"), Column.of("series_id", "String"),
                    Column.of("issued_at", "DateTime"), Column.of("target_time", "DateTime"),
                    Column.of("expected", "Float64"), Column.of("lower", "Float64"), Column.of("upper", "Float64")),
            Optional.of(Duration.ofDays(14))) {
        @Override
        void writeRows(Forecast forecast, int partition, long offset, RowBinaryBuffer rows) {
            rows.startRow();
            rows.string(forecast.getHostId()).string(forecast.getMetric()).nestedMap(forecast.getLabels()).string(forecast.getSeriesId())
                    .dateTime(forecast.getIssuedAt().toEpochMilli()).dateTime(forecast.getTargetTime().toEpochMilli())
                    .float64(forecast.getExpected()).float64(forecast.getLower()).float64(forecast.getUpper());
            endRow(rows, partition, offset);
        }
    };

    /** Every alert event, from {@code vigil.alerts}; the evidence as parallel arrays. */
    public static final SinkTable<Alert> ALERTS = new SinkTable<>("vigil_alerts", Topics.ALERTS, Alert.class,
            List.of(Column.of("alert_id", "String"), Column.of("fingerprint", "String"), Column.dictionary("event"),
                    Column.dictionary("scope"), Column.dictionary("severity"), Column.dictionary("host_id"), Column.labels("host_labels"),
                    Column.dictionary("metric"), Column.labels("labels"), Column.of("started_at", "DateTime"),
                    Column.of("event_time", "DateTime"), Column.of("resolved_at", "Nullable(DateTime)"),
                    Column.of("value", "Float64"), Column.of("expected", "Float64"), Column.of("lower", "Float64"), Column.of("upper", "Float64"),
                    Column.of("peak_score", "Float64"), Column.of("last_score", "Float64"),
                    Column.of("evidence_series_id", "Array(String)"), Column.of("evidence_metric", "Array(String)"),
                    Column.of("evidence_score", "Array(Float64)"), Column.of("summary", "String"), Column.labels("links"),
                    Column.dictionary("reason"), Column.of("reason_observed", "Float64"), Column.of("reason_usual_low", "Float64"),
                    Column.of("reason_usual_high", "Float64"), Column.of("reason_basis_days", "Float64"), Column.of("reason_text", "String"),
                    Column.of("evidence_reason", "Array(String)"),
                    Column.dictionary("kind"), Column.of("silenced_by", "String"), Column.of("exhaustion_ceiling", "Float64"),
                    Column.of("exhaustion_at", "Nullable(DateTime)"), Column.of("exhaustion_earliest", "Nullable(DateTime)"),
                    Column.of("exhaustion_latest", "Nullable(DateTime)")),
            Optional.of(Duration.ofDays(400))) {
        @Override
        void writeRows(Alert alert, int partition, long offset, RowBinaryBuffer rows) {
            List<AlertEvidence> evidence = alert.getEvidence();
            rows.startRow();
            rows.string(alert.getAlertId()).string(alert.getFingerprint()).string(alert.getEvent().name())
                    .string(alert.getScope().name()).string(alert.getSeverity().name()).string(alert.getHostId())
                    .nestedMap(alert.getHostLabels()).string(alert.getMetric() == null ? "" : alert.getMetric()).nestedMap(alert.getLabels())
                    .dateTime(alert.getStartedAt().toEpochMilli()).dateTime(alert.getEventTime().toEpochMilli())
                    .nullableDateTime(alert.getResolvedAt() == null ? null : alert.getResolvedAt().toEpochMilli())
                    .float64(alert.getValue()).float64(alert.getExpected()).float64(alert.getLower()).float64(alert.getUpper())
                    .float64(alert.getPeakScore()).float64(alert.getLastScore())
                    .stringArray(evidence.stream().map(AlertEvidence::getSeriesId).toList())
                    .stringArray(evidence.stream().map(AlertEvidence::getMetric).toList())
                    .float64Array(evidence.stream().mapToDouble(AlertEvidence::getScore).toArray())
                    .string(alert.getSummary()).nestedMap(alert.getLinks())
                    .string(reason(alert.getReason())).float64(orZero(alert.getReasonObserved())).float64(orZero(alert.getReasonUsualLow()))
                    .float64(orZero(alert.getReasonUsualHigh())).float64(orZero(alert.getReasonBasisDays())).string(alert.getReasonText())
                    .stringArray(evidence.stream().map(e -> reason(e.getReason())).toList());
            Exhaustion exhaustion = alert.getExhaustion();
            rows.string(alert.getKind().name()).string(alert.getSilencedBy() == null ? "" : alert.getSilencedBy())
                    .float64(exhaustion == null ? 0 : exhaustion.getCeiling())
                    .nullableDateTime(exhaustion == null ? null : exhaustion.getAt().toEpochMilli())
                    .nullableDateTime(exhaustion == null ? null : exhaustion.getEarliest().toEpochMilli())
                    .nullableDateTime(exhaustion == null ? null : exhaustion.getLatest().toEpochMilli());
            endRow(rows, partition, offset);
        }
    };

    /** The remediation audit trail, from {@code vigil.remediation.audit}; kept forever (deleting audit is tampering). */
    public static final SinkTable<AuditRecord> AUDIT = new SinkTable<>("vigil_remediation_audit", Topics.REMEDIATION_AUDIT, AuditRecord.class,
            List.of(Column.of("sequence", "UInt64"), Column.of("time", "DateTime"), Column.of("actor", "String"),
                    Column.of("decision_id", "String"), Column.of("alert_id", "String"), Column.dictionary("host_id"),
                    Column.dictionary("rule"), Column.dictionary("action"), Column.of("parameters_hash", "String"),
                    Column.dictionary("outcome"), Column.of("guard", "String"), Column.of("detail", "String"),
                    Column.of("previous_hash", "String"), Column.of("hmac", "String")),
            Optional.empty()) {
        @Override
        void writeRows(AuditRecord audit, int partition, long offset, RowBinaryBuffer rows) {
            rows.startRow();
            rows.int64(audit.getSequence()).dateTime(audit.getTimestamp().toEpochMilli()).string(audit.getActor())
                    .string(audit.getDecisionId()).string(audit.getAlertId()).string(audit.getHostId()).string(audit.getRule())
                    .string(audit.getAction()).string(audit.getParametersHash()).string(audit.getOutcome().name())
                    .string(audit.getGuard() == null ? "" : audit.getGuard()).string(audit.getDetail())
                    .string(audit.getPreviousHash()).string(audit.getHmac());
            endRow(rows, partition, offset);
        }
    };

    /** Every table, in data-flow order. */
    public static final List<SinkTable<?>> ALL = List.of(SAMPLES, ROLLUPS, FORECASTS, ALERTS, AUDIT);

    private SinkTables() {
    }

    /** A reason as its column holds it: the symbol, or empty for none. */
    private static String reason(AnomalyReason reason) {
        return reason == null ? "" : reason.name();
    }

    /** A reason's number as its column holds it: 0 when the record has no reason. */
    private static double orZero(Double number) {
        return number == null ? 0 : number;
    }
}
