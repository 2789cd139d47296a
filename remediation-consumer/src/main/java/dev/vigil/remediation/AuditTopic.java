package dev.vigil.remediation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.audit.AuditCheckpoint;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;

/** Reads the audit trail back: the whole topic, in order, and the checkpoints file. */
public final class AuditTopic {

    private AuditTopic() {
    }

    /** Every committed record of the audit topic, in order (one partition: the chain's order), without joining a consumer group. */
    public static List<AuditRecord> readAll(Map<String, Object> kafka, Map<String, Object> registry) {
        try (AvroSerdes serdes = new AvroSerdes(registry)) {
            return TopicContents.readAll(kafka, Topics.REMEDIATION_AUDIT.name(), new Topics(serdes).remediationAudit().valueSerde().deserializer())
                    .stream().map(ConsumerRecord::value).toList();
        }
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
