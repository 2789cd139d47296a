package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.approvals.ApprovalEvidence;
import dev.vigil.remediation.approvals.ApprovalSignatures;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditCheckpoint;
import dev.vigil.runtime.security.SigningKeys;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * {@code vigil audit verify} on a real audit topic: intact, then with a checkpoint the topic falls short of; and the approval
 * signatures the trail carries, checked against the access file.
 */
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

    @Test
    void shouldCheckEveryApprovalSignatureAgainstTheAccessFile(StackEndpoints stack, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(1), (short) 1);
        }
        List<AuditRecord> before = AuditTopic.readAll(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                Map.of("schema.registry.url", stack.schemaRegistryUrl()));
        AuditRecord head = before.isEmpty() ? null : before.get(before.size() - 1);
        AuditChain chain = new AuditChain(KEY.getBytes(StandardCharsets.UTF_8), head == null ? 0 : head.getSequence(),
                head == null ? AuditChain.GENESIS : AuditChain.hash(head));
        Path alice = SigningKeys.write(SigningKeys.generate(), dir.resolve("keys"), "alice");
        Path mallory = SigningKeys.write(SigningKeys.generate(), dir.resolve("elsewhere"), "alice");
        Path access = Files.createFile(dir.resolve("access.yaml"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(access, "users:\n  - {name: alice, roles: [approver], public_key: keys/alice.pub}\n");
        Instant now = Instant.now();
        ApprovalDecision valid = ApprovalSignatures.sign("sig-1", true, "alice", "fine", now, now.plusSeconds(600), "alice",
                SigningKeys.readPrivate(alice));
        ApprovalDecision forged = ApprovalSignatures.sign("sig-2", true, "alice", "fine", now, now.plusSeconds(600), "alice",
                SigningKeys.readPrivate(mallory));
        Path config = dir.resolve("audit.properties");
        Files.writeString(config, String.join("\n", "kafka.bootstrap.servers=" + stack.kafkaBootstrapServers(),
                "schema.registry.url=" + stack.schemaRegistryUrl(), "audit.key=" + KEY));
        Path noCheckpoints = dir.resolve("no-checkpoints");
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, AuditRecord> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).remediationAudit().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.REMEDIATION_AUDIT.name(), "vigil", chain.append(now, "alice", "sig-1", "a-sig", "web-09",
                    "restart", "command:restart-unit", AuditChain.sha256(""), AuditOutcome.APPROVED, null, ApprovalEvidence.detail(valid)))).get();

            StringWriter signed = new StringWriter();
            assertThat(run(signed, "audit", "verify", "--config", config.toString(), "--checkpoints", noCheckpoints.toString(),
                    "--access-file", access.toString())).as(signed.toString()).isZero();
            assertThat(signed.toString()).contains("Audit trail intact: ", "Approval signatures verified: 1 signed.");

            // The audit key leaked: a record re-signed into the chain, but its approval was not signed with alice's key.
            AuditRecord rewritten = chain.append(now, "alice", "sig-2", "a-sig", "web-09", "restart", "command:restart-unit",
                    AuditChain.sha256(""), AuditOutcome.APPROVED, null, ApprovalEvidence.detail(forged));
            producer.send(new ProducerRecord<>(Topics.REMEDIATION_AUDIT.name(), "vigil", rewritten)).get();
            StringWriter broken = new StringWriter();
            assertThat(run(broken, "audit", "verify", "--config", config.toString(), "--checkpoints", noCheckpoints.toString(),
                    "--access-file", access.toString())).isEqualTo(ExitCodes.FAILED);
            assertThat(broken.toString()).contains("Audit trail intact: ", "Approval signature BROKEN at record " + rewritten.getSequence()
                    + ": record " + rewritten.getSequence() + ": the approval's signature does not verify with any public key of alice");
        }
    }

    private static int run(StringWriter out, String... args) {
        return CommandLineRun.run(out, new StringWriter(), args);
    }
}
