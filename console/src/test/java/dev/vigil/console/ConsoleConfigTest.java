package dev.vigil.console;

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

class ConsoleConfigTest {

    private static Map<String, String> minimal() {
        return new HashMap<>(Map.of("kafka.bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8081",
                "audit.key", "k".repeat(32), "service.key.file", "/etc/vigil/console.key", "http.access.file", "/etc/vigil/access.yaml"));
    }

    @Test
    void shouldTakeTheDefaultsOfTheIssue() {
        ConsoleConfig config = ConsoleConfig.from(ConfigSource.of(minimal()));

        assertThat(config.sessionTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(config.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.loginMaxFailures()).isEqualTo(5);
        assertThat(config.loginLockout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.serviceName()).isEqualTo("console");
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.oidc()).isEmpty();
        assertThat(config.toString()).doesNotContain("kkkk");
    }

    @Test
    void shouldRefuseToStartWithoutAnAccessFile() {
        Map<String, String> settings = minimal();
        settings.remove("http.access.file");

        assertThatThrownBy(() -> ConsoleConfig.from(ConfigSource.of(settings))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.access.file").hasMessageContaining("no one can log in");
    }

    @Test
    void shouldWantTheOidcSettingsTogether() {
        Map<String, String> settings = minimal();
        settings.put("oidc.issuer", "https://id.example.org");

        assertThatThrownBy(() -> ConsoleConfig.from(ConfigSource.of(settings))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("oidc.jwks.url");
        settings.put("oidc.jwks.url", "https://id.example.org/jwks");
        settings.put("oidc.audience", "vigil");
        assertThat(ConsoleConfig.from(ConfigSource.of(settings)).oidc()).hasValueSatisfying(oidc -> {
            assertThat(oidc.rolesClaim()).isEqualTo("roles");
            assertThat(oidc.audience()).isEqualTo("vigil");
        });
    }

    @Test
    void shouldRefuseAnIdleTimeLongerThanTheSession() {
        Map<String, String> settings = minimal();
        settings.put("session.idle", "9h");

        assertThatThrownBy(() -> ConsoleConfig.from(ConfigSource.of(settings))).hasMessageContaining("session.idle");
    }

    @Test
    void shouldBeListedInTheDocs() throws Exception {
        assertThat(ConfigDocs.isCurrent(Path.of("..", "docs", "console.md"), "console", ConsoleKeys.DEFINITION))
                .as("docs/console.md lists ConsoleKeys (-D%s=true rewrites it)", ConfigDocs.WRITE_PROPERTY).isTrue();
    }
}
