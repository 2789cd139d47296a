package dev.vigil.sinks.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    /**
     * What migration 1 ran when it was released (the build before migration 2 wrote it out), per server and retention:
     * lines of server (with "-7d" for a retention of 7 days on every table) and statement, for database DB.
     */
    @Test
    void shouldRenderTheFirstMigrationExactlyAsReleased() throws IOException {
        List<String[]> released;
        try (InputStream in = SchemaMigrationsTest.class.getResourceAsStream("/schema-migrations/v1-as-released.tsv")) {
            released = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(line -> line.split("\t")).toList();
        }

        for (String variant : List.of("18.16", "18.16-7d", "24.8", "24.8-7d")) {
            ServerVersion server = ServerVersion.parse(variant.replace("-7d", ""));
            Context context = context(variant.endsWith("-7d") ? table -> Optional.of(Duration.ofDays(7)) : SinkTable::defaultRetention);

            List<Step> steps = SchemaMigrations.ALL.get(0).steps().apply(server, context);

            assertThat(steps).as(variant).containsExactlyElementsOf(released.stream().filter(line -> line[0].equals(variant))
                    .map(line -> (Step) new Statement(line[1])).toList());
        }
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
        assertThat(SchemaMigrations.ALL).extracting(SchemaMigrations.Migration::version).containsExactly(1, 2);
    }

    private static Context context(Function<SinkTable<?>, Optional<Duration>> retention) {
        Map<SinkTable<?>, Optional<Duration>> byTable = new LinkedHashMap<>();
        SinkTables.ALL.forEach(table -> byTable.put(table, retention.apply(table)));
        return new Context("DB", byTable);
    }
}
