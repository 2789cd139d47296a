package dev.vigil.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.vigil.sinks.clickhouse.SchemaMigrations.AddColumns;
import dev.vigil.sinks.clickhouse.SchemaMigrations.Context;
import dev.vigil.sinks.clickhouse.SchemaMigrations.Statement;
import dev.vigil.sinks.clickhouse.SchemaMigrations.Step;
import dev.vigil.sinks.tables.SinkTable;
import dev.vigil.sinks.tables.SinkTables;

class SchemaMigrationsTest {

    private static final ServerVersion OLDEST = ServerVersion.parse("18.16.1");
    private static final ServerVersion CURRENT = ServerVersion.parse("24.8.4.13");

    /** Servers and retentions each released migration is pinned for: "-7d" is a retention of 7 days on every table. */
    private static final List<String> VARIANTS = List.of("18.16", "18.16-7d", "24.8", "24.8-7d");
    private static final Path RELEASED = Path.of("src", "test", "resources", "schema-migrations");

    /**
     * Every migration renders exactly what it rendered when it was released, per server and retention: a file per
     * version holds lines of variant and step for database DB (migration 1's was written by the build before
     * migration 2). A new migration has no file yet: the test says how to record one, once, when it is released.
     */
    @Test
    void shouldRenderEveryMigrationExactlyAsReleased() throws IOException {
        for (SchemaMigrations.Migration migration : SchemaMigrations.ALL) {
            Path file = RELEASED.resolve("v" + migration.version() + "-as-released.tsv");
            List<String> rendered = new ArrayList<>();
            for (String variant : VARIANTS) {
                ServerVersion server = ServerVersion.parse(variant.replace("-7d", ""));
                Context context = context(variant.endsWith("-7d") ? table -> Optional.of(Duration.ofDays(7)) : SinkTable::defaultRetention);
                migration.steps().apply(server, context).forEach(step -> rendered.add(variant + "\t" + describe(step)));
            }
            if (!Files.exists(file) && Boolean.getBoolean("vigil.migrations.record")) {
                Files.write(file, rendered);
            }
            assertThat(file).as("migration %d is released with this build: record its text once with"
                    + " mvn -pl sinks test -Dtest=SchemaMigrationsTest -Dvigil.migrations.record=true, and commit %s", migration.version(), file)
                    .exists();
            List<String> released = Files.readAllLines(file);
            for (String variant : VARIANTS) {
                assertThat(rendered).filteredOn(line -> line.startsWith(variant + "\t"))
                        .as("migration %d on %s changed after its release: add a new migration instead", migration.version(), variant)
                        .containsExactlyElementsOf(released.stream().filter(line -> line.startsWith(variant + "\t")).toList());
            }
        }
    }

    /** A step as the statement it runs on a table that lacks every column it adds. */
    private static String describe(Step step) {
        if (step instanceof Statement statement) {
            return statement.sql();
        }
        AddColumns add = (AddColumns) step;
        return "ALTER TABLE DB." + add.table() + " ADD COLUMN " + String.join(", ADD COLUMN ", add.columns());
    }

    @Test
    void shouldAddTheReasonColumnsPortablyAndAsLowCardinalityWhereTheServerHasIt() {
        Context context = context(SinkTable::defaultRetention);

        List<Step> oldest = SchemaMigrations.ALL.get(1).steps().apply(OLDEST, context);
        List<Step> current = SchemaMigrations.ALL.get(1).steps().apply(CURRENT, context);

        assertThat(oldest).containsExactly(
                new AddColumns("vigil_samples", List.of("`reason` String DEFAULT ''", "`reason_observed` Float32 DEFAULT 0",
                        "`reason_usual_low` Float32 DEFAULT 0", "`reason_usual_high` Float32 DEFAULT 0", "`reason_basis_days` Float32 DEFAULT 0")),
                new AddColumns("vigil_alerts", List.of("`reason` String DEFAULT ''", "`reason_observed` Float64 DEFAULT 0",
                        "`reason_usual_low` Float64 DEFAULT 0", "`reason_usual_high` Float64 DEFAULT 0", "`reason_basis_days` Float64 DEFAULT 0",
                        "`reason_text` String DEFAULT ''", "`evidence_reason` Array(String) DEFAULT []")));
        assertThat(current).allSatisfy(step -> assertThat(((AddColumns) step).columns().get(0))
                .isEqualTo("`reason` LowCardinality(String) DEFAULT ''"));
    }

    @Test
    void shouldNumberTheMigrationsFromOneWithoutGaps() {
        assertThat(SchemaMigrations.ALL).extracting(SchemaMigrations.Migration::version).containsExactly(1, 2, 3, 4);
    }

    private static Context context(Function<SinkTable<?>, Optional<Duration>> retention) {
        Map<SinkTable<?>, Optional<Duration>> byTable = new LinkedHashMap<>();
        SinkTables.ALL.forEach(table -> byTable.put(table, retention.apply(table)));
        return new Context("DB", byTable);
    }
}
