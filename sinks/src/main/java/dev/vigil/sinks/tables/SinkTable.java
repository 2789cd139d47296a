package dev.vigil.sinks.tables;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;

import dev.vigil.schemas.TopicSpec;
import dev.vigil.sinks.clickhouse.RowBinaryBuffer;

/**
 * One Vigil topic as one ClickHouse table: the columns the sink writes and how a record becomes rows. The
 * table itself is made by {@link dev.vigil.sinks.clickhouse.SchemaMigrations}, which never reads this. Every table ends with {@code kafka_partition} and {@code kafka_offset}, the position of the record a
 * row came from: after a crash the sink resumes after the highest offset stored per partition, which makes
 * delivery exactly once without any state outside the table itself.
 *
 * @param <V> the topic's value type
 */
public abstract class SinkTable<V extends SpecificRecord> {

    public static final String PARTITION_COLUMN = "kafka_partition";
    public static final String OFFSET_COLUMN = "kafka_offset";

    private final String name;
    private final TopicSpec topic;
    private final Class<V> valueType;
    private final List<Column> columns;
    private final Optional<Duration> defaultRetention;
    private final List<String> insertColumns;

    SinkTable(String name, TopicSpec topic, Class<V> valueType, List<Column> columns, Optional<Duration> defaultRetention) {
        this.name = Objects.requireNonNull(name, "name can't be null");
        this.topic = Objects.requireNonNull(topic, "topic can't be null");
        this.valueType = Objects.requireNonNull(valueType, "valueType can't be null");
        List<Column> all = new ArrayList<>(columns);
        all.add(Column.of(PARTITION_COLUMN, "UInt16"));
        all.add(Column.of(OFFSET_COLUMN, "UInt64"));
        this.columns = List.copyOf(all);
        this.defaultRetention = defaultRetention;
        this.insertColumns = this.columns.stream().flatMap(c -> Arrays.stream(c.insertNames())).toList();
    }

    public String name() {
        return name;
    }

    public TopicSpec topic() {
        return topic;
    }

    public Class<V> valueType() {
        return valueType;
    }

    /** Every column the sink writes, ending with the partition and offset; the migrations create them. */
    public List<Column> columns() {
        return columns;
    }

    /** The column names an insert lists, in the order {@link #appendRows} writes them. */
    public List<String> insertColumns() {
        return insertColumns;
    }

    /** How long rows are kept unless configured otherwise; empty: forever (the audit trail). */
    public Optional<Duration> defaultRetention() {
        return defaultRetention;
    }

    /**
     * Appends the rows of one record, each ending with the record's partition and offset.
     *
     * @throws IllegalArgumentException naming the field a row cannot hold (for instance a time outside what
     *                                  DateTime can store); no row of the record is appended then
     */
    public final void appendRows(V value, int partition, long offset, RowBinaryBuffer rows) {
        int before = rows.rows();
        try {
            writeRows(value, partition, offset, rows);
        } catch (IllegalArgumentException e) {
            while (rows.rows() > before) {
                rows.dropLastRow();
            }
            throw e;
        }
    }

    /** Writes the record's rows: {@link RowBinaryBuffer#startRow()}, the columns, then {@link #endRow}. */
    abstract void writeRows(V value, int partition, long offset, RowBinaryBuffer rows);

    static void endRow(RowBinaryBuffer rows, int partition, long offset) {
        rows.uint16(partition).int64(offset);
    }
}
