package dev.vigil.sinks.clickhouse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.sinks.tables.SinkTable;
import dev.vigil.sinks.tables.SinkTables;

/**
 * Versioned changes to the sinks' ClickHouse schema, applied in order at start and recorded in
 * {@value #MIGRATIONS_TABLE}. Applying is idempotent: a recorded version is skipped, and every statement
 * is itself safe to repeat ({@code IF NOT EXISTS}), so two sinks starting together, or a sink that died half
 * way through a migration, end in the same schema. A migration never changes once released: a later change
 * is a new version.
 */
public final class SchemaMigrations {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    public static final String MIGRATIONS_TABLE = "vigil_schema_migrations";

    /**
     * One step of the schema.
     *
     * @param statements the SQL for a given server and database, given the configured retention per table
     */
    public record Migration(int version, String description,
                            BiFunction<ServerVersion, Context, List<String>> statements) {
    }

    /** What a migration may depend on besides the server. */
    public record Context(String database, Map<SinkTable<?>, Optional<Duration>> retention) {
    }

    /** Every migration, oldest first. */
    public static final List<Migration> ALL = List.of(
            new Migration(1, "tables for samples with scores, rollups, forecasts, alerts and the remediation audit",
                    (server, context) -> SinkTables.ALL.stream()
                            .map(table -> table.createStatement(context.database(), server, context.retention().get(table)))
                            .toList()));

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
            for (String statement : migration.statements().apply(server, context)) {
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
}
