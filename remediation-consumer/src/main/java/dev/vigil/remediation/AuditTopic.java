package dev.vigil.remediation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.audit.AuditCheckpoint;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;

/** Reads the audit trail back: the whole topic, in order, and the checkpoints file. */
public final class AuditTopic {

    private AuditTopic() {
    }

    /** Every committed record of the audit topic, in order, without joining a consumer group. */
    public static List<AuditRecord> readAll(Map<String, Object> kafka, Map<String, Object> registry) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        TopicPartition partition = new TopicPartition(Topics.REMEDIATION_AUDIT.name(), 0); // one partition: the chain's order
        List<AuditRecord> records = new ArrayList<>();
        try (AvroSerdes serdes = new AvroSerdes(registry);
             KafkaConsumer<String, AuditRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                     new Topics(serdes).remediationAudit().valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
                for (ConsumerRecord<String, AuditRecord> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(record.value());
                }
            }
        }
        return records;
    }

    /** The checkpoints in {@code file}, none if it does not exist yet. */
    public static List<AuditCheckpoint> checkpoints(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                checkpoints.add(AuditCheckpoint.parse(line));
            }
        }
        return checkpoints;
    }
}
