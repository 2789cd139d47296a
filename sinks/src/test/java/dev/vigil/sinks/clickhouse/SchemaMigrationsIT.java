package dev.vigil.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.sinks.clickhouse.SchemaMigrations.AddColumns;
import dev.vigil.sinks.clickhouse.SchemaMigrations.Context;
import dev.vigil.sinks.tables.Column;
import dev.vigil.sinks.tables.SinkTable;
import dev.vigil.sinks.tables.SinkTables;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * The migrations on the real clickhouse-server 18.16: a database the first release made, with its rows, is brought
 * up to the columns the sink writes today, exactly as a fresh one is; a database migrated one release at a time ends
 * exactly like one migrated at once; applying again changes nothing; a migration a sink died in the middle of is
 * finished by the next start.
 */
@ExtendWith(LocalStackExtension.class)
class SchemaMigrationsIT {

    @Test
    void shouldBringTheFirstReleasesTablesAndRowsUpToTheColumnsTheSinkWrites(StackEndpoints stack) {
        try (ClickHouse clickHouse = clickHouse(stack, "it_migrate_upgrade")) {
            Context context = context("it_migrate_upgrade");
            SchemaMigrations.apply(clickHouse, context, SchemaMigrations.ALL.subList(0, 1));
            clickHouse.execute("INSERT INTO it_migrate_upgrade.vigil_samples (host_id, metric, `labels.key`, `labels.value`, series_id,"
                    + " time, time_ms, value, expected, lower, upper, score, learning, kafka_partition, kafka_offset)"
                    + " VALUES ('web-01', 'load', ['cpu'], ['0'], 's-1', 1793581600, 1793581600000, 40, 10, 9, 11, 1, 0, 0, 7)");
            clickHouse.execute("INSERT INTO it_migrate_upgrade.vigil_alerts (alert_id, fingerprint, event, scope, severity, host_id,"
                    + " metric, started_at, event_time, value, expected, lower, upper, peak_score, last_score, evidence_series_id,"
                    + " evidence_metric, evidence_score, summary, kafka_partition, kafka_offset) VALUES ('a-1', 's-1', 'OPENED', 'SERIES',"
                    + " 'CRITICAL', 'web-01', 'load', 1793581600, 1793581600, 40, 10, 9, 11, 1, 1, ['s-1'], ['load'], [1],"
                    + " 'load on web-01 is 40, expected 10 (9 to 11)', 0, 3)");

            List<Integer> applied = SchemaMigrations.apply(clickHouse, context);

            assertThat(applied).containsExactly(2, 3, 4);
            for (SinkTable<?> table : SinkTables.ALL) {
                assertThat(columnsOf(clickHouse, "it_migrate_upgrade", table.name())).as(table.name())
                        .isEqualTo(declared(table, clickHouse.version()));
            }
            assertThat(clickHouse.lines("SELECT value, reason, reason_observed, reason_basis_days, anomalous FROM it_migrate_upgrade.vigil_samples"))
                    .as("a row of the first release reads as a score without a reason, not counted as anomalous")
                    .containsExactly("40\t\t0\t0\t0");
            assertThat(clickHouse.lines("SELECT reason, reason_text, evidence_reason, kind, silenced_by, exhaustion_at FROM it_migrate_upgrade.vigil_alerts"))
                    .as("an alert of the first release reads as an anomaly alert without a reason, silence or prediction")
                    .containsExactly("\t\t[]\tANOMALY\t\t\\N");
            assertThat(SchemaMigrations.apply(clickHouse, context)).as("applied again").isEmpty();
        }
    }

    @Test
    void shouldGiveAFreshDatabaseTheColumnsTheSinkWrites(StackEndpoints stack) {
        try (ClickHouse clickHouse = clickHouse(stack, "it_migrate_fresh")) {
            List<Integer> applied = SchemaMigrations.apply(clickHouse, context("it_migrate_fresh"));

            assertThat(applied).containsExactly(1, 2, 3, 4);
            for (SinkTable<?> table : SinkTables.ALL) {
                assertThat(columnsOf(clickHouse, "it_migrate_fresh", table.name())).as(table.name())
                        .isEqualTo(declared(table, clickHouse.version()));
            }
        }
    }

    @Test
    void shouldFinishAMigrationASinkDiedInTheMiddleOf(StackEndpoints stack) {
        try (ClickHouse clickHouse = clickHouse(stack, "it_migrate_resume")) {
            Context context = context("it_migrate_resume");
            SchemaMigrations.apply(clickHouse, context, SchemaMigrations.ALL.subList(0, 1));
            // What a sink killed between migration 2's two ALTERs leaves: the scores altered, the alerts not, nothing recorded.
            AddColumns scores = (AddColumns) SchemaMigrations.ALL.get(1).steps().apply(clickHouse.version(), context).get(0);
            clickHouse.execute("ALTER TABLE it_migrate_resume." + scores.table() + " ADD COLUMN " + String.join(", ADD COLUMN ", scores.columns()));

            assertThat(SchemaMigrations.apply(clickHouse, context)).containsExactly(2, 3, 4);

            for (SinkTable<?> table : SinkTables.ALL) {
                assertThat(columnsOf(clickHouse, "it_migrate_resume", table.name())).as(table.name())
                        .isEqualTo(declared(table, clickHouse.version()));
            }
        }
    }

    @Test
    void shouldEndAlikeWhetherMigratedAtOnceOrOneReleaseAtATime(StackEndpoints stack) {
        try (ClickHouse atOnce = clickHouse(stack, "it_migrate_at_once"); ClickHouse stepwise = clickHouse(stack, "it_migrate_stepwise")) {
            SchemaMigrations.apply(atOnce, context("it_migrate_at_once"));
            for (int release = 1; release <= SchemaMigrations.ALL.size(); release++) {
                // Each release's sink starting on the database the previous one left.
                SchemaMigrations.apply(stepwise, context("it_migrate_stepwise"), SchemaMigrations.ALL.subList(0, release));
            }

            for (SinkTable<?> table : SinkTables.ALL) {
                assertThat(createStatement(stepwise, "it_migrate_stepwise", table.name())).as(table.name())
                        .isEqualTo(createStatement(atOnce, "it_migrate_at_once", table.name()));
            }
        }
    }

    /** The table as the server describes it (columns in order, types, defaults, engine, keys), without its database. */
    private static String createStatement(ClickHouse clickHouse, String database, String table) {
        return String.join("\n", clickHouse.lines("SHOW CREATE TABLE " + database + "." + table)).replace(database + ".", "DB.");
    }

    private static ClickHouse clickHouse(StackEndpoints stack, String database) {
        ClickHouse clickHouse = new ClickHouse(stack.clickHouseHttpUrl(), "default", "", database, Duration.ofSeconds(30));
        clickHouse.execute("DROP DATABASE IF EXISTS " + database);
        return clickHouse;
    }

    private static Context context(String database) {
        Map<SinkTable<?>, Optional<Duration>> retention = new LinkedHashMap<>();
        SinkTables.ALL.forEach(table -> retention.put(table, table.defaultRetention()));
        return new Context(database, retention);
    }

    /** Name to type, as system.columns lists them. */
    private static Map<String, String> columnsOf(ClickHouse clickHouse, String database, String table) {
        Map<String, String> columns = new TreeMap<>();
        for (String line : clickHouse.lines("SELECT name, type FROM system.columns WHERE database = '" + database + "' AND table = '" + table + "'")) {
            String[] fields = line.split("\t");
            columns.put(fields[0], fields[1]);
        }
        return columns;
    }

    /** The columns the sink writes to {@code table}, as system.columns would list them on {@code server}. */
    private static Map<String, String> declared(SinkTable<?> table, ServerVersion server) {
        Map<String, String> columns = new TreeMap<>();
        for (Column column : table.columns()) {
            if (column.type().startsWith("Nested(")) {
                columns.put(column.name() + ".key", "Array(String)");
                columns.put(column.name() + ".value", "Array(String)");
            } else {
                columns.put(column.name(), column.typeOn(server));
            }
        }
        return columns;
    }
}
