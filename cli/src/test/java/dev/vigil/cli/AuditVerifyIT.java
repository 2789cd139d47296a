package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditCheckpoint;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import picocli.CommandLine;

/** {@code vigil audit verify} on a real audit topic: intact, then with a checkpoint the topic falls short of. */
@ExtendWith(LocalStackExtension.class)
class AuditVerifyIT {

    /** Shared with DashboardQueriesIT, whose remediation consumer writes to the same audit topic in this JVM's stack. */
    static final String KEY = "cli-audit-key-cli-audit-key-cli-audit-key-01";

    @Test
    void shouldReportAnIntactTrailAndNameATruncatedOne(StackEndpoints stack, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(1), (short) 1);
        }
        List<AuditRecord> before = AuditTopic.readAll(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                Map.of("schema.registry.url", stack.schemaRegistryUrl()));
        AuditRecord head = before.isEmpty() ? null : before.get(before.size() - 1);
        AuditChain chain = new AuditChain(KEY.getBytes(StandardCharsets.UTF_8), head == null ? 0 : head.getSequence(),
                head == null ? AuditChain.GENESIS : AuditChain.hash(head));
        int records = before.size() + 3;
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, AuditRecord> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).remediationAudit().valueSerde().serializer())) {
            for (int i = 1; i <= 3; i++) {
                producer.send(new ProducerRecord<>(Topics.REMEDIATION_AUDIT.name(), "vigil", chain.append(Instant.ofEpochSecond(i), "it",
                        "d" + i, "a" + i, "web-01", "restart", "command:restart-unit", AuditChain.sha256(""), AuditOutcome.DRY_RUN, null, "")));
            }
        }
        Path checkpoints = dir.resolve("checkpoints");
        Files.writeString(checkpoints, chain.checkpoint(Instant.ofEpochSecond(4)).toLine() + "\n");
        Path config = dir.resolve("audit.properties");
        Files.writeString(config, String.join("\n", "kafka.bootstrap.servers=" + stack.kafkaBootstrapServers(),
                "schema.registry.url=" + stack.schemaRegistryUrl(), "audit.key=" + KEY));

        StringWriter intact = new StringWriter();
        assertThat(run(intact, "audit", "verify", "--config", config.toString(), "--checkpoints", checkpoints.toString())).isZero();
        assertThat(intact.toString()).contains("Audit trail intact: " + records + " records, 1 checkpoints verified.");

        // A checkpoint from later on vouches for records the topic no longer has: the tail was cut.
        AuditChain later = new AuditChain(KEY.getBytes(StandardCharsets.UTF_8), chain.lastSequence(), chain.headHash());
        later.append(Instant.ofEpochSecond(5), "it", "d4", "a4", "web-01", "restart", "command:restart-unit", AuditChain.sha256(""),
                AuditOutcome.DRY_RUN, null, "");
        AuditCheckpoint vouching = later.checkpoint(Instant.ofEpochSecond(6));
        Files.writeString(checkpoints, vouching.toLine() + "\n", java.nio.file.StandardOpenOption.APPEND);
        StringWriter truncated = new StringWriter();
        assertThat(run(truncated, "audit", "verify", "--config", config.toString(), "--checkpoints", checkpoints.toString()))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(truncated.toString()).contains("Audit trail BROKEN at record " + (records + 1) + ": the trail ends at record " + records
                + " but a checkpoint vouches for record " + (records + 1) + ": truncated");
    }

    private static int run(StringWriter out, String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        return commandLine.execute(args);
    }
}
