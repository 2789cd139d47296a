package dev.vigil.sinks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.DeadLetter;
import dev.vigil.runtime.config.Services;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.deadletter.DeadLetterStage;
import dev.vigil.schemas.deadletter.DeadLetters;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.schemas.serde.DecodeFailure;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.clickhouse.ClickHouseUnavailableException;
import dev.vigil.sinks.tables.SinkTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * One sink instance: a consumer of the configured topics that batches their records into rows per table and
 * writes them to ClickHouse, exactly once.
 *
 * <p>ClickHouse, not Kafka, is the record of what was written: every row carries its record's partition and
 * offset, and when partitions are assigned the sink seeks each one to just after the highest offset stored
 * for it (or its committed offset, if higher: the records after the last stored one were dead letters). A
 * crash anywhere, even between an insert and the offset commit, therefore neither loses nor duplicates a
 * row. Offsets are still committed after every flush, so consumer lag means what it says.
 *
 * <p>While ClickHouse is unreachable the sink pauses its partitions, keeps its place in the group, retries
 * with exponential backoff, and commits nothing it has not written. While the schema registry is unreachable,
 * records whose writer schema it has not cached yet are read again every few seconds (never dead-lettered).
 * Records it cannot decode, and records whose rows ClickHouse refuses, go to the dead-letter topic with the
 * reason.
 */
public final class ClickHouseSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClickHouseSink.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration REGISTRY_BACKOFF = Duration.ofSeconds(2);
    private static final String CLICKHOUSE_PROBLEM = "ClickHouse unavailable: ";
    private static final String REGISTRY_PROBLEM = "schema registry unavailable: ";

    private final SinkConfig config;
    private final ClickHouse clickHouse;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Producer<String, DeadLetter> deadLetters;
    private final AvroSerdes serdes;
    private final SinkMetrics metrics;
    private final KafkaClientMetrics consumerMetrics;
    private final ClickHouseBatchWriter writer;
    private final Map<String, TableBatch> batchesByTopic = new LinkedHashMap<>();
    private final Map<String, Deserializer<? extends SpecificRecord>> decoders = new HashMap<>();
    /** Dead letters not sent yet; they go out, acknowledged, before the offsets they follow are committed. */
    private final List<ProducerRecord<String, DeadLetter>> pendingDeadLetters = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<String> problem = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    /** Set by a rebalance: buffered rows may belong to partitions this instance no longer owns. */
    private boolean buffersInvalidated;

    ClickHouseSink(SinkConfig config, ClickHouse clickHouse, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config can't be null");
        this.clickHouse = Objects.requireNonNull(clickHouse, "clickHouse can't be null");
        this.metrics = new SinkMetrics(registry);
        this.writer = new ClickHouseBatchWriter(clickHouse, metrics);
        this.serdes = new AvroSerdes(config.registry());
        Topics topics = new Topics(serdes);
        for (SinkTable<?> table : config.tables()) {
            batchesByTopic.put(table.topic().name(), new TableBatch(table));
            decoders.put(table.topic().name(), serdes.valueSerde(table.valueType()).deserializer());
        }
        Map<String, Object> consumerConfig = new HashMap<>(config.kafka());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the streams app writes in transactions
        consumerConfig.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        consumerConfig.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        consumerConfig.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        Map<String, Object> producerConfig = new HashMap<>(config.kafka());
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.deadLetters = new KafkaProducer<>(producerConfig, new StringSerializer(), topics.deadLetters().valueSerde().serializer());
        this.thread = new Thread(this::run, "vigil-sink");
    }

    void start() {
        thread.start();
    }

    /** Null while healthy; otherwise what is wrong (ClickHouse unreachable, the loop stopped). */
    String problem() {
        return problem.get();
    }

    private void run() {
        try {
            consumer.subscribe(config.tables().stream().map(table -> table.topic().name()).toList(), new Rebalance());
            while (running.get()) {
                ingest(consumer.poll(POLL));
                if (flushDue()) {
                    flush();
                }
            }
            flush();
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            problem.set("the sink loop stopped: " + e);
            log.error("The sink loop stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            stopped.countDown();
        }
    }

    private void ingest(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        long now = System.currentTimeMillis();
        Set<TopicPartition> rewound = new HashSet<>();
        boolean decoded = false;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (rewound.contains(partition)) {
                continue; // read again after the rewind
            }
            TableBatch batch = batchesByTopic.get(record.topic());
            if (record.value() == null || record.value().length == 0) {
                deadLetter(record, DeadLetterReason.EMPTY, "record has no value");
                continue;
            }
            SpecificRecord value;
            try {
                value = decoders.get(record.topic()).deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                DecodeFailure failure = DecodeFailure.of(e, batch.table.valueType().getSimpleName());
                if (failure instanceof DecodeFailure.BadRecord bad) {
                    deadLetter(record, bad.reason(), bad.message());
                    continue;
                }
                // The registry, not the record, is at fault: read the record again later instead of dead-lettering it.
                metrics.registryUnavailable.increment();
                if (problem.getAndSet(REGISTRY_PROBLEM + e.getMessage()) == null) {
                    log.warn("Cannot fetch the writer schema of {}-{}@{} ({}); reading it again in {}", record.topic(), record.partition(),
                            record.offset(), e.getMessage(), REGISTRY_BACKOFF);
                }
                consumer.seek(partition, record.offset());
                rewound.add(partition);
                continue;
            }
            decoded = true;
            batch.startRecord(record, now);
            try {
                append(batch.table, value, record, batch);
            } catch (IllegalArgumentException e) {
                batch.abandonRecord();
                deadLetter(record, DeadLetterReason.INVALID_ROW, "cannot be a row of " + batch.table.name() + ": " + e.getMessage());
            }
        }
        if (!rewound.isEmpty()) {
            waitWhilePolling(REGISTRY_BACKOFF); // paused; the batches keep their rows, and the next flush writes them
            consumer.resume(consumer.paused());
        } else if (decoded && problem.get() != null && problem.get().startsWith(REGISTRY_PROBLEM)) {
            log.info("The schema registry answers again; resuming");
            problem.set(null);
        }
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> void append(SinkTable<V> table, SpecificRecord value, ConsumerRecord<byte[], byte[]> record,
                                                         TableBatch batch) {
        table.appendRows((V) value, record.partition(), record.offset(), batch.rows);
    }

    private boolean flushDue() {
        if (!pendingDeadLetters.isEmpty()) {
            return true;
        }
        long now = System.currentTimeMillis();
        for (TableBatch batch : batchesByTopic.values()) {
            if (!batch.isEmpty() && (batch.rows.rows() >= config.batchRows() || batch.rows.bytes() >= config.batchBytes()
                    || now - batch.firstAddedAt() >= config.batchInterval().toMillis())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes every waiting batch, then commits: retried with backoff, partitions paused, for as long as
     * ClickHouse is unavailable. A rebalance meanwhile drops the batches (see {@link Rebalance}).
     */
    private void flush() {
        Duration backoff = FIRST_BACKOFF;
        buffersInvalidated = false; // a rebalance before this flush already dropped what it had to
        while (true) {
            try {
                for (TableBatch batch : batchesByTopic.values()) {
                    writer.write(batch, (record, table, message) -> deadLetter(record, DeadLetterReason.REFUSED_BY_CLICKHOUSE,
                            "ClickHouse refused the rows of this record for " + table + ": " + message));
                }
                sendDeadLetters();
                commit();
                batchesByTopic.values().forEach(TableBatch::clear);
                metrics.flushes.increment();
                if (problem.get() != null && problem.get().startsWith(CLICKHOUSE_PROBLEM)) {
                    log.info("ClickHouse takes inserts again; resuming");
                    problem.set(null);
                    consumer.resume(consumer.paused());
                }
                return;
            } catch (ClickHouseUnavailableException e) {
                metrics.retries.increment();
                if (problem.getAndSet(CLICKHOUSE_PROBLEM + e.getMessage()) == null) {
                    log.warn("ClickHouse unavailable ({}); pausing consumption and retrying with backoff up to {}", e.getMessage(),
                            config.maxBackoff());
                }
                consumer.pause(consumer.assignment());
                if (!waitWhilePolling(backoff) || buffersInvalidated) {
                    // Stopping, or a rebalance dropped the batches: the next owner of each partition (perhaps
                    // this instance again) starts from what ClickHouse holds. Consume again to get there.
                    buffersInvalidated = false;
                    consumer.resume(consumer.paused());
                    return;
                }
                backoff = config.nextBackoff(backoff);
            }
        }
    }

    /**
     * Waits {@code backoff}, polling paused so the group keeps this instance; false if asked to stop. Whatever a
     * poll returns here is not ingested, so it is put back: only a partition assigned during that very poll, not
     * paused yet, can return anything. (Dropping it lost records once: PipelineFaultsIT's registry outage.)
     */
    private boolean waitWhilePolling(Duration backoff) {
        consumer.pause(consumer.assignment());
        long until = System.nanoTime() + backoff.toNanos();
        while (running.get() && System.nanoTime() < until) {
            ConsumerRecords<byte[], byte[]> unread = consumer.poll(POLL); // keeps the membership and runs rebalances
            for (TopicPartition partition : unread.partitions()) {
                consumer.seek(partition, unread.records(partition).get(0).offset());
            }
            consumer.pause(consumer.assignment()); // newly assigned partitions stay paused too
            if (buffersInvalidated) {
                return true;
            }
        }
        return running.get();
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            positions.put(partition, new OffsetAndMetadata(consumer.position(partition)));
        }
        if (positions.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(positions);
        } catch (CommitFailedException | RetriableException e) {
            // Safe to go on: the rows are in ClickHouse, and ClickHouse, not the commit, says where to resume. The
            // next flush commits these positions too; a rebalance meanwhile seeks from the stored offsets.
            metrics.commitFailures.increment();
            log.warn("Offset commit failed after a successful insert ({}); the next flush commits again", e.toString());
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String message) {
        metrics.deadLetter(reason.name());
        log.warn("Dead letter from {}-{}@{}: {}: {}", record.topic(), record.partition(), record.offset(), reason, message);
        DeadLetter letter = DeadLetters.build(new DeadLetters.Source(record.topic(), record.partition(), record.offset()), record.key(),
                record.value(), DeadLetterStage.SINK, reason, message, Instant.now());
        pendingDeadLetters.add(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), DeadLetters.key(letter), letter));
        if (reason == DeadLetterReason.REFUSED_BY_CLICKHOUSE) {
            sendDeadLetters(); // before anything after the refused record is written: see ClickHouseBatchWriter
        }
    }

    private void sendDeadLetters() {
        if (pendingDeadLetters.isEmpty()) {
            return;
        }
        try {
            for (ProducerRecord<String, DeadLetter> letter : pendingDeadLetters) {
                deadLetters.send(letter).get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + Topics.DEAD_LETTERS.name() + ": " + e, e);
        }
        pendingDeadLetters.clear();
    }

    /**
     * On revocation the waiting rows are dropped, written or not: whoever owns the partitions next resumes from
     * what ClickHouse holds. On assignment each partition is sought to just after its highest stored offset.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                batchesByTopic.values().forEach(TableBatch::clear);
                pendingDeadLetters.clear(); // their records will be read again by the next owner
                buffersInvalidated = true;
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> stored = storedPositions(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            for (TopicPartition partition : partitions) {
                long fromClickHouse = stored.getOrDefault(partition, -1L);
                OffsetAndMetadata fromKafka = committed.get(partition);
                long resumeAt = Math.max(fromClickHouse, fromKafka == null ? -1 : fromKafka.offset());
                if (resumeAt >= 0) {
                    consumer.seek(partition, resumeAt);
                }
                log.info("{}: resuming at offset {} (ClickHouse holds up to {}, Kafka committed {})", partition,
                        resumeAt < 0 ? "earliest" : resumeAt, fromClickHouse - 1, fromKafka == null ? "nothing" : fromKafka.offset());
            }
        }
    }

    /** For each partition, one past the highest offset its table holds; retried while ClickHouse is down. */
    private Map<TopicPartition, Long> storedPositions(Collection<TopicPartition> partitions) {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                return OffsetQueries.storedPositions(clickHouse, batchesByTopic, partitions);
            } catch (ClickHouseUnavailableException e) {
                problem.set(CLICKHOUSE_PROBLEM + e.getMessage());
                log.warn("Cannot read stored offsets from ClickHouse ({}); retrying in {}", e.getMessage(), backoff);
                Services.backOff(backoff);
                backoff = config.nextBackoff(backoff);
                if (!running.get()) {
                    throw new WakeupException();
                }
            }
        }
    }

    /** Stops after writing and committing what was consumed; waits at most {@code timeout}. */
    public void close(Duration timeout) {
        running.set(false);
        try {
            if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                consumer.wakeup();
                stopped.await(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumerMetrics.close();
        deadLetters.close(Duration.ofSeconds(10));
        serdes.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
