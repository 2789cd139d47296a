package dev.vigil.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;

import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.StackEndpoints;

/**
 * What the remediation consumer's integration tests share: its settings on the test's stack, the topics, allow-listed
 * scripts of the test's own, and reading back what they did. Every test uses one audit key: they share one trail.
 */
final class RemediationFixture {

    static final String AUDIT_KEY = "it-audit-key-it-audit-key-it-audit-key-0123";

    private RemediationFixture() {
    }

    /** The consumer's settings on the test's stack, its checkpoints in {@code dir}, plus {@code extra} key-value pairs. */
    static RemediationConfig config(StackEndpoints stack, Path dir, Path policy, String... extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "policy.file", policy.toString(),
                "audit.key", AUDIT_KEY,
                "audit.checkpoints.file", dir.resolve("checkpoints").toString(),
                "http.port", "0"));
        for (int i = 0; i < extra.length; i += 2) {
            values.put(extra[i], extra[i + 1]);
        }
        return RemediationConfig.from(ConfigSource.of(values));
    }

    static void ensureTopics(StackEndpoints stack) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(2), (short) 1);
        }
    }

    /** An allow-listed script of the test's own, made executable. */
    static Path script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole audit trail, as the consumer reads it at start. */
    static List<AuditRecord> trail(RemediationConfig config) {
        return AuditTopic.readAll(config.kafka(), config.registry());
    }

    /** What {@code vigil audit verify} checks: the whole trail and this consumer's checkpoints. */
    static void assertTrailIntact(RemediationConfig config) throws IOException {
        assertThat(new AuditVerifier(AUDIT_KEY.getBytes(StandardCharsets.UTF_8)).verify(trail(config), AuditTopic.checkpoints(config.checkpointsFile())))
                .as("vigil audit verify").isInstanceOf(AuditVerifier.Result.Intact.class);
    }

    static void await(String what, BooleanSupplier condition) {
        Eventually.await(Duration.ofSeconds(60), what, condition);
    }
}
