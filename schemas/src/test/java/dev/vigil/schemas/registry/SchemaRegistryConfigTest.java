package dev.vigil.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {

    @Test
    void shouldApplyDefaults() {
        SchemaRegistryConfig config = SchemaRegistryConfig.forUrl("http://registry:8081/");

        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081"));
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.maxRetries()).isEqualTo(5);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.userInfo()).isEmpty();
        assertThat(config.tls()).isEmpty();
    }

    @Test
    void shouldNameTheMissingKey() {
        assertThatThrownBy(() -> SchemaRegistryConfig.from(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldRejectAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> SchemaRegistryConfig.forUrl("ftp://registry"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url").hasMessageContaining("http://");
    }

    @Test
    void shouldRejectUserInfoWithoutAColonAndNotEchoIt() {
        assertThatThrownBy(() -> SchemaRegistryConfig.from(Map.of("schema.registry.url", "http://r", "basic.auth.user.info", "justasecret")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.user.info").hasMessageNotContaining("justasecret");
    }

    @Test
    void shouldRejectABackoffCeilingBelowTheFirstBackoff() {
        assertThatThrownBy(() -> SchemaRegistryConfig.from(Map.of("schema.registry.url", "http://r",
                "schema.registry.retry.backoff.ms", 500L, "schema.registry.retry.backoff.max.ms", 100L)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.retry.backoff.max.ms");
    }

    @Test
    void shouldReadSeveralUrlsAndTlsSettings() {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(Map.of(
                "schema.registry.url", "https://a:8081,https://b:8081",
                "schema.registry.ssl.truststore.location", "/etc/vigil/truststore.p12"));

        assertThat(config.urls()).hasSize(2);
        assertThat(config.tls()).hasValueSatisfying(tls -> assertThat(tls.truststoreLocation()).contains("/etc/vigil/truststore.p12"));
    }

    @Test
    void shouldRedactCredentialsInUrls() {
        assertThat(SchemaRegistryConfig.redact("https://user:pw@registry:8081/x")).isEqualTo("https://***@registry:8081/x");
        assertThat(List.of(SchemaRegistryConfig.redact("http://registry:8081"))).containsExactly("http://registry:8081");
    }
}
