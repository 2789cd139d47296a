package dev.vigil.sinks.tables;

import dev.vigil.sinks.clickhouse.ServerVersion;

/**
 * One column of a sink table, as the sink writes it.
 *
 * @param name           as in ClickHouse; a {@code Nested} column is {@code labels Nested(key String, value String)}
 *                       and inserted as its {@code labels.key} and {@code labels.value} arrays
 * @param type           the portable type, understood by every supported server
 * @param lowCardinality few distinct values: {@code LowCardinality} where the server has it
 */
public record Column(String name, String type, boolean lowCardinality) {

    static Column of(String name, String type) {
        return new Column(name, type, false);
    }

    static Column dictionary(String name) {
        return new Column(name, "String", true);
    }

    static Column labels(String name) {
        return of(name, "Nested(key String, value String)");
    }

    /** The columns' names as an insert lists them: a Nested column is its two arrays. */
    String[] insertNames() {
        return type.startsWith("Nested(") ? new String[] {name + ".key", name + ".value"} : new String[] {name};
    }

    /** The type the migrations give this column on {@code server}. */
    public String typeOn(ServerVersion server) {
        return lowCardinality && server.hasLowCardinality() ? "LowCardinality(" + type + ")" : type;
    }
}
