package dev.vigil.sinks.tables;

import dev.vigil.sinks.clickhouse.ServerVersion;

/**
 * One column of a sink table.
 *
 * @param name           as in ClickHouse; a {@code Nested} column is written {@code labels Nested(key String, value String)}
 *                       in DDL and inserted as its {@code labels.key} and {@code labels.value} arrays
 * @param type           the portable type, understood by every supported server
 * @param lowCardinality few distinct values: {@code LowCardinality} where the server has it
 * @param codec          a compression codec where the server has codecs, or null
 */
public record Column(String name, String type, boolean lowCardinality, String codec) {

    static Column of(String name, String type) {
        return new Column(name, type, false, null);
    }

    static Column dictionary(String name) {
        return new Column(name, "String", true, null);
    }

    static Column compressed(String name, String type, String codec) {
        return new Column(name, type, false, codec);
    }

    static Column labels(String name) {
        return of(name, "Nested(key String, value String)");
    }

    /** The columns' names as an insert lists them: a Nested column is its two arrays. */
    String[] insertNames() {
        return type.startsWith("Nested(") ? new String[] {name + ".key", name + ".value"} : new String[] {name};
    }

    /** The column's definition in a CREATE TABLE for this server. */
    String definition(ServerVersion server) {
        String definedType = lowCardinality && server.hasLowCardinality() ? "LowCardinality(" + type + ")" : type;
        String definedCodec = codec != null && server.hasCodecs() ? " CODEC(" + codec + ")" : "";
        return "`" + name + "` " + definedType + definedCodec;
    }
}
