package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import dev.vigil.runtime.config.ConfigDocs;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.streams.alerts.AlertKeys;
import dev.vigil.streams.alerts.AlertPolicy;

class StreamsAppConfigTest {

    private static StreamsAppConfig read(String... pairs) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", "k:9092", "schema.registry.url", "http://r"));
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return StreamsAppConfig.from(ConfigSource.of(values));
    }

    @Test
    void shouldDefaultToTheTopologysDefaults() {
        StreamsAppConfig config = read();

        assertThat(config.topology()).isEqualTo(TopologySettings.DEFAULT);
        assertThat(config.threads()).isEqualTo(1);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.rocksDbMemory()).isEqualTo(64L << 20);
        assertThat(config.stateDir()).isEqualTo(Path.of("vigil-streams-state"));
    }

    @Test
    void shouldReadTheTopologyAndAlertSettingsWithZeroWhereZeroMeansAtOnce() {
        StreamsAppConfig config = read("threads", "4", "max.clock.skew", "0", "rollups.grace", "0s", "alerts.open.threshold", "0.7",
                "alerts.open.after", "30s", "alerts.resolve.after", "0", "kafka.num.standby.replicas", "1");

        assertThat(config.threads()).isEqualTo(4);
        assertThat(config.topology().maxClockSkew()).isZero();
        assertThat(config.topology().rollupGrace()).isZero();
        AlertPolicy alerts = config.topology().alerts();
        assertThat(alerts.openThreshold()).isEqualTo(0.7);
        assertThat(alerts.openAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(alerts.resolveAfter()).isZero();
        assertThat(config.kafka()).containsEntry("num.standby.replicas", "1");
    }

    @Test
    void shouldRefuseAMisspeltKeyAndABadValueNamingThem() {
        assertThatThrownBy(() -> read("threads.count", "4")).isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'threads.count' in the given settings; did you mean 'threads'?");
        assertThatThrownBy(() -> read("alerts.open.treshold", "0.7")).hasMessageContaining("did you mean 'alerts.open.threshold'?");
        assertThatThrownBy(() -> read("forecasts.horizon", "0")).hasMessageContaining("forecasts.horizon").hasMessageContaining("must be positive");
        assertThatThrownBy(() -> read("alerts.open.threshold", "0.3")).hasMessageContaining("alerts.resolve.threshold");
    }

    @Test
    void shouldListEverySettingInTheDocs() throws Exception {
        assertThat(ConfigDocs.isCurrent(Path.of("..", "docs", "streams.md"), "streams", StreamsKeys.DEFINITION))
                .as("docs/streams.md lists StreamsKeys (-D%s=true rewrites it)", ConfigDocs.WRITE_PROPERTY).isTrue();
        assertThat(ConfigDocs.isCurrent(Path.of("..", "docs", "alerts.md"), "alerts", AlertKeys.DEFINITION))
                .as("docs/alerts.md lists AlertKeys (-D%s=true rewrites it)", ConfigDocs.WRITE_PROPERTY).isTrue();
    }
}
