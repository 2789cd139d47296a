package dev.vigil.sinks.clickhouse;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.vigil.sinks.clickhouse.SchemaMigrations.AddColumns;
import dev.vigil.sinks.clickhouse.SchemaMigrations.Context;

/**
 * Renders a migration's frozen SQL for one server and database. The SQL is written for the oldest server Vigil
 * supports (18.16); markers switch on what a newer one has:
 * <ul>
 *   <li>{@code ${database}}: the database;</li>
 *   <li>{@code ${LowCardinality(T)}}: {@code LowCardinality(T)} from 19.0, else {@code T};</li>
 *   <li>{@code ${CODEC(c)}}: {@code " CODEC(c)"} from 19.11, else nothing;</li>
 *   <li>{@code ${TTL table column}}: {@code " TTL column + INTERVAL n DAY"} from 19.6 when the table has a retention
 *       of n days, else nothing.</li>
 * </ul>
 */
final class MigrationText {

    private static final Pattern MARKER = Pattern.compile(
            "\\$\\{(?:(database)|LowCardinality\\(([^)]+)\\)|CODEC\\(([^)]+)\\)|TTL (\\w+) (\\w+))}");

    private MigrationText() {
    }

    static String render(String sql, ServerVersion server, Context context) {
        Matcher marker = MARKER.matcher(sql);
        StringBuilder rendered = new StringBuilder();
        while (marker.find()) {
            String replacement;
            if (marker.group(1) != null) {
                replacement = context.database();
            } else if (marker.group(2) != null) {
                replacement = server.hasLowCardinality() ? "LowCardinality(" + marker.group(2) + ")" : marker.group(2);
            } else if (marker.group(3) != null) {
                replacement = server.hasCodecs() ? " CODEC(" + marker.group(3) + ")" : "";
            } else {
                String column = marker.group(5);
                replacement = context.retentionOf(marker.group(4)).filter(retention -> server.hasTtl())
                        .map(retention -> " TTL " + column + " + INTERVAL " + Math.max(1, retention.toDays()) + " DAY").orElse("");
            }
            marker.appendReplacement(rendered, Matcher.quoteReplacement(replacement));
        }
        return marker.appendTail(rendered).toString();
    }

    /** Columns for {@code table}, each rendered. */
    static AddColumns addColumns(String table, ServerVersion server, Context context, String... columns) {
        List<String> rendered = Stream.of(columns).map(column -> render(column, server, context)).toList();
        return new AddColumns(table, rendered);
    }
}
