package dev.vigil.remediation.verification;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.Alert;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.schemas.serde.DecodeFailure;

/**
 * After a restart, finds the alerts that undos still to run need for their parameters ({@code {{label.pid}}} ...): the
 * audit trail keeps only a hash of parameters, so the alert is read back from {@code vigil.alerts}, on its host's
 * partition only, from a day before the action on (every event of an incident carries its labels, and an open one
 * sends a heartbeat at least every {@code alerts.update.every}).
 */
public final class AlertHistory {

    private static final Logger log = LoggerFactory.getLogger(AlertHistory.class);
    static final Duration LOOKBACK = Duration.ofDays(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private AlertHistory() {
    }

    /** Gives each watch in {@code watches} whose undo names alert fields, and that has no alert, the last event of its alert. */
    public static void recover(Map<String, Object> kafka, AvroSerdes serdes, Collection<PendingVerification> watches) {
        List<PendingVerification> needing = watches.stream().filter(watched -> watched.alert().isEmpty()
                && watched.verification().undo().map(undo -> undo.namesAlertFields()).orElse(false)).toList();
        if (needing.isEmpty()) {
            return;
        }
        Set<String> hosts = needing.stream().map(PendingVerification::hostId).collect(Collectors.toSet());
        Map<String, PendingVerification> byAlert = needing.stream().collect(Collectors.toMap(PendingVerification::alertId, w -> w, (a, b) -> a));
        Deserializer<Alert> alerts = new Topics(serdes).alerts().valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> consumer = HostPartitions.reader(kafka)) {
            int partitions = consumer.partitionsFor(Topics.ALERTS.name(), TIMEOUT).size();
            Map<TopicPartition, Long> from = new HashMap<>();
            for (PendingVerification watched : needing) {
                TopicPartition partition = new TopicPartition(Topics.ALERTS.name(), HostPartitions.of(watched.hostId(), partitions));
                from.merge(partition, watched.startedAt().minus(LOOKBACK).toEpochMilli(), Math::min);
            }
            consumer.assign(from.keySet());
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(from, TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet(), TIMEOUT);
            offsets.forEach((partition, offset) -> consumer.seek(partition, offset == null ? end.get(partition) : offset.offset()));
            while (from.keySet().stream().anyMatch(partition -> consumer.position(partition, TIMEOUT) < end.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() == null || !hosts.contains(record.key()) || record.offset() >= end.get(new TopicPartition(record.topic(),
                            record.partition()))) {
                        continue;
                    }
                    Alert alert;
                    try {
                        alert = alerts.deserialize(record.topic(), record.value());
                    } catch (RuntimeException e) {
                        if (DecodeFailure.of(e, "Alert") instanceof DecodeFailure.RegistryUnavailable) {
                            throw e; // not the record's fault: the consumer cannot start without its registry anyway
                        }
                        continue; // the remediation consumer dead-lettered it when it first read it
                    }
                    PendingVerification watched = byAlert.get(alert.getAlertId());
                    if (watched != null) {
                        watched.alert(alert);
                    }
                }
            }
        }
        needing.stream().filter(watched -> watched.alert().isEmpty()).forEach(watched -> log.warn(
                "Alert {} is not on {} since {}: the undo of rule {} cannot fill its parameters", watched.alertId(), Topics.ALERTS.name(),
                watched.startedAt().minus(LOOKBACK), watched.rule().name()));
    }
}
