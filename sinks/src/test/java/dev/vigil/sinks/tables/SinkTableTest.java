package dev.vigil.sinks.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.sinks.clickhouse.RowBinaryBuffer;
import dev.vigil.sinks.clickhouse.ServerVersion;

class SinkTableTest {

    @Test
    void shouldKeepThePortableCoreOn18_16() {
        String ddl = SinkTables.SAMPLES.createStatement("vigil", ServerVersion.parse("18.16.1"), Optional.of(Duration.ofDays(30)));

        assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS vigil.vigil_samples (`host_id` String, `metric` String, "
                + "`labels` Nested(key String, value String)")
                .endsWith("ENGINE = MergeTree PARTITION BY toYYYYMMDD(time) ORDER BY (host_id, metric, series_id, time)")
                .doesNotContain("TTL", "CODEC", "LowCardinality");
    }

    @Test
    void shouldSwitchOnTtlCodecsAndLowCardinalityOnCurrentServers() {
        String ddl = SinkTables.SAMPLES.createStatement("vigil", ServerVersion.parse("24.8.4.13"), Optional.of(Duration.ofDays(30)));

        assertThat(ddl).contains("`host_id` LowCardinality(String)", "`time` DateTime CODEC(Delta, ZSTD)", "`value` Float64 CODEC(Gorilla)")
                .endsWith(" TTL time + INTERVAL 30 DAY");
        assertThat(SinkTables.AUDIT.createStatement("vigil", ServerVersion.parse("24.8"), SinkTables.AUDIT.defaultRetention()))
                .as("the audit trail is kept forever").doesNotContain("TTL");
    }

    @Test
    void shouldListNestedColumnsAsTheirTwoArraysAndEndWithThePartitionAndOffset() {
        assertThat(SinkTables.FORECASTS.insertColumns()).containsExactly("host_id", "metric", "labels.key", "labels.value", "series_id",
                "issued_at", "target_time", "expected", "lower", "upper", "kafka_partition", "kafka_offset");
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
