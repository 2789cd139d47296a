package dev.vigil.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from its beginning, for integration tests: the one "read this topic until" helper every test
 * uses, in the spirit of kafka-streams-examples' {@code IntegrationTestUtils}.
 *
 * <p>The isolation level is an explicit argument because it decides what a test sees: the streams application
 * writes in transactions, so a test of its output reads {@link IsolationLevel#READ_COMMITTED} (aborted and open
 * transactions stay hidden), while a test of a plain producer may read either. Each read uses a fresh consumer
 * group, so reads never share offsets.
 *
 * @param <K> record keys
 * @param <V> record values
 */
public final class TopicReader<K, V> {

    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final String topic;
    private final IsolationLevel isolation;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;

    private TopicReader(String bootstrapServers, String topic, IsolationLevel isolation, Deserializer<K> keys, Deserializer<V> values) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.isolation = isolation;
        this.keys = keys;
        this.values = values;
    }

    /** A reader of {@code topic} on the broker at {@code bootstrapServers}. */
    public static <K, V> TopicReader<K, V> of(String bootstrapServers, String topic, IsolationLevel isolation,
                                              Deserializer<K> keys, Deserializer<V> values) {
        return new TopicReader<>(bootstrapServers, topic, isolation, keys, values);
    }

    /**
     * Records from the beginning until {@code done} holds for what was read, or until {@code timeout}; then polls for
     * {@code linger} more, so that a test can see records beyond what it waited for (duplicates). Returns what it read
     * either way: the caller's assertions say what was missing.
     */
    public List<ConsumerRecord<K, V>> readUntil(Predicate<? super List<ConsumerRecord<K, V>>> done, Duration timeout, Duration linger) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = consumer()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(POLL).forEach(records::add);
            }
            long lingerUntil = System.nanoTime() + linger.toNanos();
            while (System.nanoTime() < lingerUntil) {
                consumer.poll(POLL).forEach(records::add);
            }
        }
        return records;
    }

    /** At least {@code count} records (more if the first polls bring more), or what there was after {@code timeout}. */
    public List<ConsumerRecord<K, V>> readAtLeast(int count, Duration timeout) {
        return readUntil(records -> records.size() >= count, timeout, Duration.ZERO);
    }

    /** Values of at least {@code count} records, or of what there was after {@code timeout}. */
    public List<V> valuesAtLeast(int count, Duration timeout) {
        return values(readAtLeast(count, timeout));
    }

    /** Every record until none has come for {@code quiet}: for a topic whose writer has finished. */
    public List<ConsumerRecord<K, V>> readUntilQuiet(Duration quiet) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = consumer()) {
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < quiet.toNanos()) {
                var polled = consumer.poll(POLL);
                if (!polled.isEmpty()) {
                    polled.forEach(records::add);
                    quietSince = System.nanoTime();
                }
            }
        }
        return records;
    }

    /**
     * Every record up to the end of each partition as it is now, read by assignment (no group): what a test counts
     * after the writers have been stopped or paused. Gives up at {@code timeout} with what it read.
     */
    public List<ConsumerRecord<K, V>> readToEnd(Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(settings(null), keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))
                    && System.nanoTime() < deadline) {
                consumer.poll(POLL).forEach(records::add);
            }
        }
        return records;
    }

    /** The values of {@code records}, in order. */
    public static <V> List<V> values(List<? extends ConsumerRecord<?, V>> records) {
        return records.stream().<V>map(ConsumerRecord::value).toList();
    }

    /** A consumer of a fresh group, subscribed to the topic from its beginning. */
    private KafkaConsumer<K, V> consumer() {
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(settings("it-reader-" + UUID.randomUUID()), keys, values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** @param group the consumer group, or null for a consumer that is assigned partitions */
    private Map<String, Object> settings(String group) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(Locale.ROOT),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return settings;
    }
}
