package dev.vigil.sinks;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.clickhouse.ClickHouseRefusedException;
import dev.vigil.sinks.clickhouse.ClickHouseUnavailableException;

/**
 * Writes a {@link TableBatch} to ClickHouse in one insert, and when the server refuses it, finds the records
 * it refuses by splitting the batch in halves (left half first), so the rest is written and only those go
 * to the dead-letter topic with the server's message.
 *
 * <p>Order is the invariant: records are written strictly in the batch's order, a refused record is
 * dead-lettered before anything after it is written, and a record's rows are never split. So at any moment
 * what ClickHouse holds is a prefix of the batch, and a crash loses nothing when the next run resumes after
 * the highest stored offset.
 */
final class ClickHouseBatchWriter {

    /** Where refused records go; called before anything after them is written. */
    interface RefusedRecords {
        void refused(ConsumerRecord<byte[], byte[]> record, String table, String serverMessage);
    }

    private final ClickHouse clickHouse;
    private final SinkMetrics metrics;

    ClickHouseBatchWriter(ClickHouse clickHouse, SinkMetrics metrics) {
        this.clickHouse = clickHouse;
        this.metrics = metrics;
    }

    /**
     * Writes every record of {@code batch} not written yet.
     *
     * @throws ClickHouseUnavailableException when ClickHouse cannot be reached, or refuses the table as a whole;
     *                                        {@link TableBatch#done()} then says how far it got, and a later call
     *                                        carries on from there
     */
    void write(TableBatch batch, RefusedRecords refused) {
        new Attempt(batch, refused).run();
    }

    private final class Attempt {
        private final TableBatch batch;
        private final RefusedRecords refused;
        private boolean anyWritten;

        Attempt(TableBatch batch, RefusedRecords refused) {
            this.batch = batch;
            this.refused = refused;
        }

        void run() {
            int from = batch.done();
            int to = batch.records();
            if (from == to) {
                return;
            }
            try {
                insert(from, to);
            } catch (ClickHouseRefusedException e) {
                split(from, to, e);
            }
        }

        private void insert(int from, int to) {
            long started = System.nanoTime();
            int rows = batch.rowCount(from, to);
            clickHouse.insert(batch.table.name(), batch.table.insertColumns(), batch.rows, batch.firstRow(from), batch.firstRow(to));
            metrics.inserted(batch.table.name(), rows, System.nanoTime() - started);
            batch.done(to);
            anyWritten = true;
        }

        /** Records {@code [from, to)} were refused together: find which, left half first. */
        private void split(int from, int to, ClickHouseRefusedException failure) {
            if (to - from == 1) {
                decide(from, failure);
                return;
            }
            int middle = (from + to) >>> 1;
            attempt(from, middle);
            attempt(middle, to);
        }

        private void attempt(int from, int to) {
            try {
                insert(from, to);
            } catch (ClickHouseRefusedException e) {
                split(from, to, e);
            }
        }

        /**
         * A lone record the server refused: its own fault if the table takes other inserts (one did in this
         * attempt, or an empty insert goes through); otherwise the table refuses everything (read-only, dropped,
         * out of space) and the batch waits instead of emptying good data into the dead-letter topic.
         */
        private void decide(int index, ClickHouseRefusedException failure) {
            if (!anyWritten && !tableAcceptsInserts()) {
                throw new ClickHouseUnavailableException("ClickHouse refuses every insert into " + batch.table.name() + ": "
                        + failure.getMessage(), failure);
            }
            refused.refused(batch.record(index), batch.table.name(), failure.getMessage());
            metrics.refusedRecord(batch.table.name());
            batch.done(index + 1);
        }

        private boolean tableAcceptsInserts() {
            try {
                int end = batch.firstRow(batch.done());
                clickHouse.insert(batch.table.name(), batch.table.insertColumns(), batch.rows, end, end);
                return true;
            } catch (ClickHouseRefusedException | ClickHouseUnavailableException e) {
                return false;
            }
        }
    }
}
