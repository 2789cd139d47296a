package dev.vigil.remediation.verification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.schemas.serde.DecodeFailure;

/**
 * Reads {@code vigil.scores} for the hosts whose metric is being verified, and only for them: the partitions their
 * keys are on, each from the earliest start of its watches (by record time, so a restarted consumer reads again
 * what it had not judged), decoding only records keyed by a watched host. Scores are what the streams application
 * published, read committed; the remediation consumer needs no access to the streams application itself. A record
 * that cannot be decoded is counted and skipped (the sinks dead-letter it); one whose writer schema the registry
 * does not give is read again on the next poll.
 */
public final class ScoreWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScoreWatch.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A score with the time its record was produced. */
    public record TimedScore(AnomalyScore score, Instant at) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ScoreBatch> batches;
    private int partitions;
    private long unreadable;

    public ScoreWatch(Map<String, Object> kafka, AvroSerdes serdes) {
        this.consumer = HostPartitions.reader(kafka);
        this.batches = new Topics(serdes).scores().valueSerde().deserializer();
    }

    /**
     * The scores of {@code hosts} published since the last call (or, for a host newly watched, since its start),
     * without waiting for more.
     *
     * @param hosts each watched host, with the earliest start of its watches
     */
    public List<TimedScore> poll(Map<String, Instant> hosts) {
        if (hosts.isEmpty()) {
            if (!consumer.assignment().isEmpty()) {
                consumer.assign(List.of());
            }
            return List.of();
        }
        if (!follow(hosts)) {
            return List.of();
        }
        List<TimedScore> scores = new ArrayList<>();
        Set<TopicPartition> retry = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ZERO)) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (retry.contains(partition) || record.key() == null || !hosts.containsKey(record.key())) {
                continue;
            }
            ScoreBatch batch;
            try {
                batch = batches.deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                if (DecodeFailure.of(e, "ScoreBatch") instanceof DecodeFailure.RegistryUnavailable) {
                    consumer.seek(partition, record.offset()); // read it again: the registry's outage is not the record's fault
                    retry.add(partition);
                } else {
                    unreadable++;
                    log.warn("Skipping unreadable score record {}@{}: {}", partition, record.offset(), e.getMessage());
                }
                continue;
            }
            Instant at = Instant.ofEpochMilli(record.timestamp());
            batch.getScores().forEach(score -> scores.add(new TimedScore(score, at)));
        }
        return scores;
    }

    /**
     * Assigns the partitions {@code hosts} are on; a partition new to the watch starts at its hosts' earliest start.
     * False while the topic does not exist.
     */
    private boolean follow(Map<String, Instant> hosts) {
        if (partitions == 0) {
            partitions = consumer.partitionsFor(Topics.SCORES.name(), TIMEOUT).size();
            if (partitions == 0) {
                return false;
            }
        }
        Map<TopicPartition, Long> wanted = new HashMap<>();
        hosts.forEach((host, since) -> wanted.merge(new TopicPartition(Topics.SCORES.name(), HostPartitions.of(host, partitions)),
                since.toEpochMilli(), Math::min));
        if (wanted.keySet().equals(consumer.assignment())) {
            return true;
        }
        Map<TopicPartition, Long> added = new HashMap<>(wanted);
        added.keySet().removeAll(consumer.assignment());
        consumer.assign(wanted.keySet()); // partitions kept keep their positions
        if (!added.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(added, TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(added.keySet(), TIMEOUT);
            added.keySet().forEach(partition -> {
                OffsetAndTimestamp offset = offsets.get(partition);
                consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
            });
        }
        return true;
    }

    /** Whether every watched partition has been read to its end: nothing published so far is still unread. */
    public boolean caughtUp() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return true;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, TIMEOUT);
        return assigned.stream().allMatch(partition -> consumer.position(partition, TIMEOUT) >= end.get(partition));
    }

    /** Score records skipped because they could not be decoded. */
    public long unreadable() {
        return unreadable;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
