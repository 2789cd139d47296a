package dev.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import dev.vigil.runtime.config.ConfigDocs;
import dev.vigil.runtime.config.ConfigSource;

class GatewayConfigTest {

    private static GatewayConfig config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8080"));
        values.putAll(overrides);
        return GatewayConfig.from(ConfigSource.of(values));
    }

    @Test
    void shouldDefaultToOtlpsPortsAndTheUsualHostAttributes() {
        GatewayConfig config = config(Map.of());

        assertThat(config.httpPort()).isEqualTo(4318);
        assertThat(config.values().get(GatewayKeys.OTLP_GRPC_PORT)).isEqualTo(4317);
        assertThat(config.hostAttributes()).containsExactly("host.name", "service.instance.id", "instance");
        assertThat(config.topic()).isEqualTo("vigil.metrics");
    }

    @Test
    void shouldReadTheHostAttributesInOrder() {
        assertThat(config(Map.of("gateway.host.attributes", " instance , host.name")).hostAttributes()).containsExactly("instance", "host.name");
    }

    @Test
    void shouldRefuseAnEmptyHostAttributeNamingTheKey() {
        assertThatThrownBy(() -> config(Map.of("gateway.host.attributes", "host.name,,instance")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.host.attributes");
    }

    @Test
    void shouldListEverySettingInTheDocs() throws Exception {
        assertThat(ConfigDocs.isCurrent(Path.of("..", "docs", "ingest.md"), "gateway", GatewayKeys.DEFINITION))
                .as("docs/ingest.md lists GatewayKeys (-D%s=true rewrites it)", ConfigDocs.WRITE_PROPERTY).isTrue();
    }
}
