package dev.vigil.sinks.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AnomalyReason;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.sinks.clickhouse.RowBinaryBuffer;
import dev.vigil.sinks.clickhouse.ServerVersion;

class SinkTableTest {

    @Test
    void shouldListNestedColumnsAsTheirTwoArraysAndEndWithThePartitionAndOffset() {
        assertThat(SinkTables.FORECASTS.insertColumns()).containsExactly("host_id", "metric", "labels.key", "labels.value", "series_id",
                "issued_at", "target_time", "expected", "lower", "upper", "kafka_partition", "kafka_offset");
    }

    @Test
    void shouldWriteTheColumnsOfEachMigrationAfterThoseOfTheOnesBefore() {
        assertThat(SinkTables.SAMPLES.insertColumns()).endsWith("learning", "reason", "reason_observed", "reason_usual_low",
                "reason_usual_high", "reason_basis_days", "anomalous", "kafka_partition", "kafka_offset");
        assertThat(SinkTables.ALERTS.insertColumns()).endsWith("links.value", "reason", "reason_observed", "reason_usual_low",
                "reason_usual_high", "reason_basis_days", "reason_text", "evidence_reason", "kind", "silenced_by", "exhaustion_ceiling",
                "exhaustion_at", "exhaustion_earliest", "exhaustion_latest", "kafka_partition", "kafka_offset");
        assertThat(SinkTables.SAMPLES.columns()).filteredOn(column -> column.name().equals("reason")).singleElement()
                .satisfies(column -> {
                    assertThat(column.typeOn(ServerVersion.parse("18.16.1"))).isEqualTo("String");
                    assertThat(column.typeOn(ServerVersion.parse("24.8"))).isEqualTo("LowCardinality(String)");
                });
    }

    @Test
    void shouldCostAScoreWithoutAReasonEighteenBytesMoreThanTheFirstRelease() {
        RowBinaryBuffer plain = new RowBinaryBuffer();
        RowBinaryBuffer stuck = new RowBinaryBuffer();

        SinkTables.SAMPLES.appendRows(new ScoreBatch("web-01", List.of(score(1_000))), 0, 1, plain);
        SinkTables.SAMPLES.appendRows(new ScoreBatch("web-01", List.of(AnomalyScore.newBuilder(score(1_000)).setScore(0.85)
                .setReason(AnomalyReason.STUCK).setReasonObserved(14.0).setReasonUsualLow(0.0).setReasonUsualHigh(3.0)
                .setReasonBasisDays(6.5).build())), 0, 1, stuck);

        // web-01, m, labels {k: v}, s, time, time_ms, 4 x Float64, score, learning: 66 bytes; an empty reason and
        // four Float32 zeros: 17; anomalous: 1; partition and offset: 10.
        assertThat(plain.bytes()).isEqualTo(66 + 17 + 1 + 10);
        assertThat(stuck.bytes() - plain.bytes()).as("the reason's name").isEqualTo("STUCK".length());
    }

    @Test
    void shouldWriteOneRowPerScoreOfABatch() {
        RowBinaryBuffer rows = new RowBinaryBuffer();
        SinkTables.SAMPLES.appendRows(new ScoreBatch("web-01", List.of(score(1_000), score(2_000), score(3_000))), 2, 41, rows);

        assertThat(rows.rows()).isEqualTo(3);
    }

    @Test
    void shouldAppendNoRowOfARecordWithAnInvalidRow() {
        RowBinaryBuffer rows = new RowBinaryBuffer();
        SinkTables.SAMPLES.appendRows(new ScoreBatch("web-01", List.of(score(1_000))), 0, 1, rows);
        int bytes = rows.bytes();

        assertThatThrownBy(() -> SinkTables.SAMPLES.appendRows(new ScoreBatch("web-01", List.of(score(2_000), score(-5_000))), 0, 2, rows))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DateTime");
        assertThat(rows.rows()).isEqualTo(1);
        assertThat(rows.bytes()).isEqualTo(bytes);
    }

    @Test
    void shouldParseServerVersionsAndRefuseOthers() {
        assertThat(ServerVersion.parse("18.16.1").hasTtl()).isFalse();
        assertThat(ServerVersion.parse("19.6.2.11").hasTtl()).isTrue();
        assertThat(ServerVersion.parse("23.8.16.40").hasCodecs()).isTrue();
        assertThatThrownBy(() -> ServerVersion.parse("latest")).hasMessageContaining("not a ClickHouse version");
    }

    private static AnomalyScore score(long millis) {
        return AnomalyScore.newBuilder().setHostId("web-01").setMetric("m").setLabels(Map.of("k", "v")).setSeriesId("s")
                .setTimestamp(Instant.ofEpochMilli(millis)).setValue(1).setExpected(1).setLower(0).setUpper(2).setScore(0).setLearning(false).build();
    }
}
