package dev.vigil.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.runtime.config.ConfigDocs;
import dev.vigil.runtime.config.ConfigSource;

class RemediationConfigTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";

    private static RemediationConfig read(String... pairs) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", "k:9092", "schema.registry.url", "http://r",
                "policy.file", "policy.yaml"));
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return RemediationConfig.from(ConfigSource.of(values));
    }

    @Test
    void shouldReadTheAuditKeyFromTheEnvironmentAndTheWebhookSecretFromAFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("webhook.secret");
        Files.writeString(secret, "hook\n");
        Path file = dir.resolve("remediation.properties");
        Files.writeString(file, "kafka.bootstrap.servers=k:9092\nschema.registry.url=http://r\npolicy.file=policy.yaml\n"
                + "webhook.secret.file=" + secret + "\n");

        RemediationConfig config = RemediationConfig.from(ConfigSource.load(Optional.of(file), Map.of("VIGIL_AUDIT_KEY", KEY,
                "VIGIL_CLICKHOUSE_PASSWORD", "for-the-sink")));

        assertThat(config.auditKey()).isEqualTo(KEY.getBytes(StandardCharsets.UTF_8));
        assertThat(config.webhookSecret()).isEqualTo("hook".getBytes(StandardCharsets.UTF_8));
        assertThat(config.hostAgentTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.actor()).startsWith("remediation@");
        assertThat(config.toString()).doesNotContain(KEY);
    }

    @Test
    void shouldNameTheMissingAuditKeysVariableAndRefuseAShortOne() {
        assertThatThrownBy(() -> read()).isInstanceOf(ConfigException.class).hasMessageContaining("set VIGIL_AUDIT_KEY or audit.key.file");
        assertThatThrownBy(() -> read("audit.key", "short")).hasMessageContaining("audit.key").hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("short");
    }

    @Test
    void shouldRefuseAMisspeltKey() {
        assertThatThrownBy(() -> read("audit.key", KEY, "audit.checkpoint.evry", "10")).isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'audit.checkpoint.evry' in the given settings; did you mean 'audit.checkpoint.every'?");
    }

    @Test
    void shouldListEverySettingInTheDocs() throws Exception {
        assertThat(ConfigDocs.isCurrent(Path.of("..", "docs", "remediation.md"), "remediation", RemediationKeys.DEFINITION))
                .as("docs/remediation.md lists RemediationKeys (-D%s=true rewrites it)", ConfigDocs.WRITE_PROPERTY).isTrue();
    }
}
