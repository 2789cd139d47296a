package dev.vigil.console.data;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A whole topic kept in memory and brought up to date when asked: assigned every partition from the beginning, without a
 * consumer group (the console reads, it does not take a share), committed records only. Each {@link #catchUp} reads what came
 * since the last one, so a page costs one short poll rather than a fresh consumer reading from the start.
 *
 * @param <V> the topic's value type
 */
final class TopicFollower<V> implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String topic;
    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> records = new ArrayList<>();
    private List<TopicPartition> partitions;

    TopicFollower(Map<String, Object> kafka, String topic, Deserializer<V> values) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
    }

    /** Every record so far, in each partition's order, read up to the end offsets of now. */
    synchronized List<ConsumerRecord<String, V>> catchUp() {
        if (partitions == null) {
            partitions = consumer.partitionsFor(topic, TIMEOUT).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition, TIMEOUT) < ends.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + topic + " took longer than " + TIMEOUT);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return List.copyOf(records);
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
