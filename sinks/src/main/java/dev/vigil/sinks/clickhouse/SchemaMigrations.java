package dev.vigil.sinks.clickhouse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.sinks.tables.SinkTable;

/**
 * Versioned changes to the sinks' ClickHouse schema, applied in order at start and recorded in
 * {@value #MIGRATIONS_TABLE}. Applying is idempotent: a recorded version is skipped, and every step is itself
 * safe to repeat ({@code IF NOT EXISTS}, or columns added only where missing), so two sinks starting together,
 * or a sink that died half way through a migration, end in the same schema.
 *
 * <p>A released migration is frozen text: it never changes and never reads today's table definitions
 * ({@link dev.vigil.sinks.tables.SinkTables}), so that a database created today and one created by the first
 * release and migrated since end up alike. A change is a new version. Its SQL is written for the oldest server
 * and switched up by {@link MigrationText}'s markers where a newer one has more.
 */
public final class SchemaMigrations {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    public static final String MIGRATIONS_TABLE = "vigil_schema_migrations";

    /**
     * One step of the schema.
     *
     * @param steps what to do on a given server and database, given the configured retention per table
     */
    public record Migration(int version, String description, BiFunction<ServerVersion, Context, List<Step>> steps) {
    }

    /** What a migration may depend on besides the server. */
    public record Context(String database, Map<SinkTable<?>, Optional<Duration>> retention) {

        /** The configured retention of the table named {@code table}; empty: kept forever, or not a table of this sink. */
        public Optional<Duration> retentionOf(String table) {
            return retention.entrySet().stream().filter(entry -> entry.getKey().name().equals(table)).findFirst()
                    .flatMap(Map.Entry::getValue);
        }
    }

    /** One step of a migration; each is safe to repeat. */
    public sealed interface Step permits Statement, AddColumns {
    }

    /** A statement that is itself safe to repeat, such as {@code CREATE TABLE IF NOT EXISTS}. */
    public record Statement(String sql) implements Step {
    }

    /**
     * Columns added to a table where it lacks them, in one {@code ALTER TABLE}: 18.16 has no
     * {@code ADD COLUMN IF NOT EXISTS}, and one ALTER adds all its columns or none, so a sink that died between two
     * tables adds the rest when it starts again.
     *
     * @param columns each a column definition as in {@code ADD COLUMN}, starting with its name in backquotes
     */
    public record AddColumns(String table, List<String> columns) implements Step {
    }

    /** Every migration, oldest first. */
    public static final List<Migration> ALL = List.of(
            new Migration(1, "tables for samples with scores, rollups, forecasts, alerts and the remediation audit",
                    (server, context) -> Stream.of("""
                            CREATE TABLE IF NOT EXISTS ${database}.vigil_samples (`host_id` ${LowCardinality(String)}, \
                            `metric` ${LowCardinality(String)}, `labels` Nested(key String, value String), `series_id` String, \
                            `time` DateTime${CODEC(Delta, ZSTD)}, `time_ms` UInt64${CODEC(Delta, ZSTD)}, `value` Float64${CODEC(Gorilla)}, \
                            `expected` Float64${CODEC(Gorilla)}, `lower` Float64${CODEC(Gorilla)}, `upper` Float64${CODEC(Gorilla)}, \
                            `score` Float32, `learning` UInt8, `kafka_partition` UInt16, `kafka_offset` UInt64) \
                            ENGINE = MergeTree PARTITION BY toYYYYMMDD(time) ORDER BY (host_id, metric, series_id, time)${TTL vigil_samples time}""",
                            """
                            CREATE TABLE IF NOT EXISTS ${database}.vigil_rollups (`host_id` ${LowCardinality(String)}, \
                            `metric` ${LowCardinality(String)}, `labels` Nested(key String, value String), `series_id` String, \
                            `resolution` ${LowCardinality(String)}, `window_start` DateTime, `window_end` DateTime, `count` UInt64, \
                            `min` Float64, `max` Float64, `mean` Float64, `last` Float64, `p95` Float64, `kafka_partition` UInt16, \
                            `kafka_offset` UInt64) ENGINE = MergeTree PARTITION BY toYYYYMMDD(window_start) \
                            ORDER BY (host_id, metric, series_id, resolution, window_start)${TTL vigil_rollups window_start}""",
                            """
                            CREATE TABLE IF NOT EXISTS ${database}.vigil_forecasts (`host_id` ${LowCardinality(String)}, \
                            `metric` ${LowCardinality(String)}, `labels` Nested(key String, value String), `series_id` String, \
                            `issued_at` DateTime, `target_time` DateTime, `expected` Float64, `lower` Float64, `upper` Float64, \
                            `kafka_partition` UInt16, `kafka_offset` UInt64) ENGINE = MergeTree PARTITION BY toYYYYMMDD(target_time) \
                            ORDER BY (host_id, metric, series_id, target_time)${TTL vigil_forecasts target_time}""",
                            """
                            CREATE TABLE IF NOT EXISTS ${database}.vigil_alerts (`alert_id` String, `fingerprint` String, \
                            `event` ${LowCardinality(String)}, `scope` ${LowCardinality(String)}, `severity` ${LowCardinality(String)}, \
                            `host_id` ${LowCardinality(String)}, `host_labels` Nested(key String, value String), \
                            `metric` ${LowCardinality(String)}, `labels` Nested(key String, value String), `started_at` DateTime, \
                            `event_time` DateTime, `resolved_at` Nullable(DateTime), `value` Float64, `expected` Float64, \
                            `lower` Float64, `upper` Float64, `peak_score` Float64, `last_score` Float64, \
                            `evidence_series_id` Array(String), `evidence_metric` Array(String), `evidence_score` Array(Float64), \
                            `summary` String, `links` Nested(key String, value String), `kafka_partition` UInt16, `kafka_offset` UInt64) \
                            ENGINE = MergeTree PARTITION BY toYYYYMMDD(event_time) ORDER BY (host_id, fingerprint, event_time)\
                            ${TTL vigil_alerts event_time}""",
                            """
                            CREATE TABLE IF NOT EXISTS ${database}.vigil_remediation_audit (`sequence` UInt64, `time` DateTime, \
                            `actor` String, `decision_id` String, `alert_id` String, `host_id` ${LowCardinality(String)}, \
                            `rule` ${LowCardinality(String)}, `action` ${LowCardinality(String)}, `parameters_hash` String, \
                            `outcome` ${LowCardinality(String)}, `guard` String, `detail` String, `previous_hash` String, `hmac` String, \
                            `kafka_partition` UInt16, `kafka_offset` UInt64) ENGINE = MergeTree PARTITION BY toYYYYMMDD(time) \
                            ORDER BY (sequence)${TTL vigil_remediation_audit time}""")
                            .<Step>map(sql -> new Statement(MigrationText.render(sql, server, context))).toList()),
            // Why a score or an alert is anomalous. The scores' numbers are Float32: every sample row carries them
            // (zeros but for anomalies), and 16 bytes a row cost the sink less than 32; they explain, they are not
            // measured against. The reason is a string, like every enumeration here, so a reason added later never
            // breaks an insert; LowCardinality where the server has it.
            new Migration(2, "reasons: why a score and an alert are anomalous",
                    (server, context) -> List.of(
                            MigrationText.addColumns("vigil_samples", server, context, "`reason` ${LowCardinality(String)} DEFAULT ''",
                                    "`reason_observed` Float32 DEFAULT 0", "`reason_usual_low` Float32 DEFAULT 0",
                                    "`reason_usual_high` Float32 DEFAULT 0", "`reason_basis_days` Float32 DEFAULT 0"),
                            MigrationText.addColumns("vigil_alerts", server, context, "`reason` ${LowCardinality(String)} DEFAULT ''",
                                    "`reason_observed` Float64 DEFAULT 0", "`reason_usual_low` Float64 DEFAULT 0",
                                    "`reason_usual_high` Float64 DEFAULT 0", "`reason_basis_days` Float64 DEFAULT 0",
                                    "`reason_text` String DEFAULT ''", "`evidence_reason` Array(String) DEFAULT []"))),
            // The pipeline's own verdict on each sample, so that dashboards read it instead of comparing scores with
            // a threshold of their own. Rows written before it read 0: not counted as anomalous.
            new Migration(3, "anomalous: the sample counts towards an alert",
                    (server, context) -> List.of(MigrationText.addColumns("vigil_samples", server, context, "`anomalous` UInt8 DEFAULT 0"))),
            // What kind of alert an event is, the silence it falls under, and a predicted exhaustion. Rows written
            // before read as anomaly alerts, not silenced, with no prediction.
            new Migration(4, "alert kinds, silences and predicted exhaustion",
                    (server, context) -> List.of(MigrationText.addColumns("vigil_alerts", server, context,
                            "`kind` ${LowCardinality(String)} DEFAULT 'ANOMALY'", "`silenced_by` String DEFAULT ''",
                            "`exhaustion_ceiling` Float64 DEFAULT 0", "`exhaustion_at` Nullable(DateTime)",
                            "`exhaustion_earliest` Nullable(DateTime)", "`exhaustion_latest` Nullable(DateTime)"))));

    private SchemaMigrations() {
    }

    /**
     * Brings the schema up to date.
     *
     * @return the versions applied now (empty when it was up to date)
     * @throws ClickHouseRefusedException naming the migration and statement the server refused
     */
    public static List<Integer> apply(ClickHouse clickHouse, Context context) {
        return apply(clickHouse, context, ALL);
    }

    static List<Integer> apply(ClickHouse clickHouse, Context context, List<Migration> migrations) {
        ServerVersion server = clickHouse.version();
        String database = context.database();
        clickHouse.execute("CREATE DATABASE IF NOT EXISTS " + database);
        clickHouse.execute("CREATE TABLE IF NOT EXISTS " + database + "." + MIGRATIONS_TABLE
                + " (version UInt32, description String, applied_at DateTime, server_version String)"
                + " ENGINE = MergeTree ORDER BY version");
        Set<Integer> applied = new TreeSet<>();
        for (String line : clickHouse.lines("SELECT DISTINCT version FROM " + database + "." + MIGRATIONS_TABLE)) {
            applied.add(Integer.parseInt(line.strip()));
        }
        List<Integer> now = new ArrayList<>();
        for (Migration migration : migrations) {
            if (applied.contains(migration.version())) {
                continue;
            }
            for (Step step : migration.steps().apply(server, context)) {
                String statement = statement(clickHouse, database, step);
                if (statement == null) {
                    continue; // nothing left to do: a sink that died half way did it
                }
                try {
                    clickHouse.execute(statement);
                } catch (ClickHouseRefusedException e) {
                    throw new ClickHouseRefusedException("migration " + migration.version() + " (" + migration.description()
                            + ") failed on ClickHouse " + server + " at: " + statement + ": " + e.getMessage(), e);
                }
            }
            clickHouse.execute("INSERT INTO " + database + "." + MIGRATIONS_TABLE + " VALUES (" + migration.version() + ", '"
                    + migration.description().replace("\\", "\\\\").replace("'", "\\'") + "', now(), '" + server + "')");
            log.info("Applied ClickHouse migration {} ({}) on server {}", migration.version(), migration.description(), server);
            now.add(migration.version());
        }
        return now;
    }

    /** The statement that carries out {@code step} now, or null when there is nothing left to do. */
    private static String statement(ClickHouse clickHouse, String database, Step step) {
        if (step instanceof Statement statement) {
            return statement.sql();
        }
        AddColumns add = (AddColumns) step;
        Set<String> existing = new TreeSet<>(clickHouse.lines("SELECT name FROM system.columns WHERE database = '" + database
                + "' AND table = '" + add.table() + "'"));
        List<String> missing = add.columns().stream().filter(column -> !existing.contains(column.substring(1, column.indexOf('`', 1))))
                .map(column -> "ADD COLUMN " + column).toList();
        return missing.isEmpty() ? null : "ALTER TABLE " + database + "." + add.table() + " " + String.join(", ", missing);
    }
}
