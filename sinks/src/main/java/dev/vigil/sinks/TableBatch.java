package dev.vigil.sinks;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.vigil.sinks.clickhouse.RowBinaryBuffer;
import dev.vigil.sinks.tables.SinkTable;

/**
 * The rows waiting for one table, in the order their records were consumed, and which record each row came
 * from. Rows are written in record order and split only between records: a partly written record, or a
 * later record written before an earlier one, would break "resume after the highest stored offset".
 */
final class TableBatch {

    /** A consumed record and the rows it became: {@code [firstRow, next record's firstRow)}. */
    record Source(int firstRow, ConsumerRecord<byte[], byte[]> record) {
    }

    final SinkTable<?> table;
    final RowBinaryBuffer rows = new RowBinaryBuffer();
    private final List<Source> sources = new ArrayList<>();
    /** Records {@code [0, done)} are written or dead-lettered; a retry carries on from here. */
    private int done;
    private long firstAddedAt;

    TableBatch(SinkTable<?> table) {
        this.table = table;
    }

    /** Marks where the next record's rows start; call before appending them. */
    void startRecord(ConsumerRecord<byte[], byte[]> record, long now) {
        if (sources.isEmpty()) {
            firstAddedAt = now;
        }
        sources.add(new Source(rows.rows(), record));
    }

    /** The record started last turned out to have no rows (it could not be encoded). */
    void abandonRecord() {
        sources.remove(sources.size() - 1);
    }

    int records() {
        return sources.size();
    }

    int done() {
        return done;
    }

    void done(int records) {
        this.done = records;
    }

    boolean isEmpty() {
        return sources.isEmpty();
    }

    /** When the oldest waiting record was added, or 0. */
    long firstAddedAt() {
        return sources.isEmpty() ? 0 : firstAddedAt;
    }

    ConsumerRecord<byte[], byte[]> record(int index) {
        return sources.get(index).record();
    }

    int firstRow(int record) {
        return record == sources.size() ? rows.rows() : sources.get(record).firstRow();
    }

    int rowCount(int fromRecord, int toRecord) {
        return firstRow(toRecord) - firstRow(fromRecord);
    }

    void clear() {
        rows.clear();
        sources.clear();
        done = 0;
    }
}
