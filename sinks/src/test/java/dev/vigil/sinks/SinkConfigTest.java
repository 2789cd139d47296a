package dev.vigil.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.vigil.sinks.tables.SinkTables;

class SinkConfigTest {

    private static final Map<String, String> REQUIRED = Map.of("kafka.bootstrap.servers", "k:9092", "schema.registry.url", "http://r");

    @Test
    void shouldDefaultToEveryTableWithItsRetentionAndAboutOneInsertPerSecond() {
        SinkConfig config = SinkConfig.from(ConfigSource.of(REQUIRED));

        assertThat(config.tables()).isEqualTo(SinkTables.ALL);
        assertThat(config.retention().get(SinkTables.SAMPLES)).contains(Duration.ofDays(30));
        assertThat(config.retention().get(SinkTables.AUDIT)).isEmpty();
        assertThat(config.batchInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.database()).isEqualTo("vigil");
    }

    @Test
    void shouldReadRetentionPerTableAndForever() {
        SinkConfig config = SinkConfig.from(ConfigSource.of(with("retention.vigil_samples", "90d", "retention.vigil_alerts", "forever")));

        assertThat(config.retention().get(SinkTables.SAMPLES)).contains(Duration.ofDays(90));
        assertThat(config.retention().get(SinkTables.ALERTS)).isEqualTo(Optional.empty());
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> SinkConfig.from(ConfigSource.of(with("tables", "vigil_samples, vigil_nope"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tables").hasMessageContaining("vigil_nope");
        assertThatThrownBy(() -> SinkConfig.from(ConfigSource.of(with("clickhouse.database", "vigil; DROP TABLE x"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clickhouse.database");
        assertThatThrownBy(() -> SinkConfig.from(ConfigSource.of(with("retention.vigil_samples", "2h"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retention.vigil_samples");
        assertThatThrownBy(() -> SinkConfig.from(ConfigSource.of(with("clickhouse.url", "127.0.0.1:8123"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clickhouse.url");
    }

    @Test
    void shouldReadThePasswordFromAFileAndNeverPrintIt(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("password");
        Files.writeString(secret, "s3cret\n");

        SinkConfig config = SinkConfig.from(ConfigSource.of(with("clickhouse.password.file", secret.toString())));

        assertThat(config.clickHousePassword()).isEqualTo("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret").contains("clickhouse.password=****");
    }

    @Test
    void shouldRefuseAMisspeltKeyAndARetentionForNoTable() {
        assertThatThrownBy(() -> SinkConfig.from(ConfigSource.of(with("clickhouse.pasword", "x")))).isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'clickhouse.pasword' in the given settings; did you mean 'clickhouse.password'?");
        assertThatThrownBy(() -> SinkConfig.from(ConfigSource.of(with("retention.vigil_sample", "90d"))))
                .hasMessageContaining("retention.vigil_sample").hasMessageContaining("unknown table 'vigil_sample'");
    }

    @Test
    void shouldTakeThePasswordFromTheEnvironmentAndIgnoreVariablesMeantForOthers() {
        SinkConfig config = SinkConfig.from(ConfigSource.load(Optional.empty(), Map.of("VIGIL_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "VIGIL_SCHEMA_REGISTRY_URL", "http://r", "VIGIL_CLICKHOUSE_PASSWORD", "s3cret", "VIGIL_AUDIT_KEY", "for-remediation",
                "VIGIL_STATE_DIR", "for-streams")));

        assertThat(config.clickHousePassword()).isEqualTo("s3cret");
    }

    @Test
    void shouldListEverySettingInTheDocs() throws Exception {
        assertThat(ConfigDocs.isCurrent(Path.of("..", "docs", "sinks.md"), "sink", SinkKeys.DEFINITION))
                .as("docs/sinks.md lists SinkKeys (-D%s=true rewrites it)", ConfigDocs.WRITE_PROPERTY).isTrue();
    }

    private static Map<String, String> with(String... pairs) {
        Map<String, String> values = new HashMap<>(REQUIRED);
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }
}
