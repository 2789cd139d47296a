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

    private static Map<String, String> with(String... pairs) {
        Map<String, String> values = new HashMap<>(REQUIRED);
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }
}
