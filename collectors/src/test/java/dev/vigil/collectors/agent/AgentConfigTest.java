package dev.vigil.collectors.agent;

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

import dev.vigil.actions.ActionLimits;
import dev.vigil.runtime.config.ConfigDocs;
import dev.vigil.runtime.config.ConfigSource;

class AgentConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        values.put("schema.registry.url", "http://127.0.0.1:8081");
        return values;
    }

    @Test
    void shouldApplyDefaults() {
        AgentConfig config = AgentConfig.from(ConfigSource.of(minimal()));

        assertThat(config.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.sensorIntervals()).containsOnlyKeys(AgentConfig.SENSORS).containsValue(Duration.ofSeconds(10));
        assertThat(config.topic()).isEqualTo("vigil.metrics");
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.spoolMaxBytes()).isEqualTo(64L << 20);
        assertThat(config.hostId()).isNotBlank();
    }

    @Test
    void shouldNameTheMissingKeyAndItsVariable() {
        Map<String, String> values = minimal();
        values.remove("kafka.bootstrap.servers");

        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(values)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldReadTheFileAndLetTheEnvironmentOverrideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("collector.properties");
        Files.writeString(file, """
                kafka.bootstrap.servers=broker:9092
                schema.registry.url=http://registry:8081
                host.id=web-01
                host.labels.datacenter=fra1
                interval=30s
                sensors.top.interval=2m
                sensors.tcp.enabled=false
                spool.max.bytes=16MiB
                kafka.compression.type=lz4
                """);

        AgentConfig config = AgentConfig.from(ConfigSource.load(Optional.of(file), Map.of(
                "VIGIL_HOST_ID", "web-02", "VIGIL_BASIC_AUTH_USER_INFO", "vigil:secret", "PATH", "/usr/bin")));

        assertThat(config.hostId()).isEqualTo("web-02");
        assertThat(config.hostLabels()).containsExactly(Map.entry("datacenter", "fra1"));
        assertThat(config.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.sensorIntervals()).containsEntry("top", Duration.ofMinutes(2)).doesNotContainKey("tcp");
        assertThat(config.spoolMaxBytes()).isEqualTo(16L << 20);
        assertThat(config.kafka()).containsEntry("compression.type", "lz4").containsEntry("bootstrap.servers", "broker:9092");
        assertThat(config.registry()).containsEntry("basic.auth.user.info", "vigil:secret");
    }

    @Test
    void shouldRefuseASensorIntervalShorterThanTheTick() {
        Map<String, String> values = minimal();
        values.put("sensors.cpu.interval", "1s");

        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(values)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sensors.cpu.interval");
    }

    @Test
    void shouldRefuseAnUnknownSensor() {
        Map<String, String> values = minimal();
        values.put("sensors.gpu.enabled", "true");

        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(values)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sensors.gpu").hasMessageContaining("unknown sensor");
    }

    @Test
    void shouldRefuseABadDurationAndABadHostId() {
        Map<String, String> badInterval = minimal();
        badInterval.put("interval", "often");
        Map<String, String> badHost = minimal();
        badHost.put("host.id", "web 01");

        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(badInterval))).hasMessageContaining("interval").hasMessageContaining("often");
        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(badHost))).hasMessageContaining("host.id");
    }

    @Test
    void shouldRefuseAMisspeltKeyNamingTheNearestOne() {
        Map<String, String> values = minimal();
        values.put("spool.max.byte", "16MiB");

        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(values))).isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'spool.max.byte' in the given settings; did you mean 'spool.max.bytes'?");
    }

    @Test
    void shouldReadTheHostsOwnAllowListOfActions() {
        Map<String, String> values = minimal();
        values.put("actions.restart.executable", "/bin/true");
        values.put("actions.restart.args", "restart {{unit}}");
        Map<String, String> noExecutable = minimal();
        noExecutable.put("actions.clean.args", "tmp");

        AgentConfig config = AgentConfig.from(ConfigSource.of(values));

        assertThat(config.actions()).containsOnlyKeys("restart");
        assertThat(config.actions().get("restart").args()).containsExactly("restart", "{{unit}}");
        assertThat(config.actions().get("restart").timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(noExecutable))).hasMessageContaining("actions.clean.executable")
                .hasMessageContaining("VIGIL_ACTIONS_CLEAN_EXECUTABLE");
    }

    @Test
    void shouldReadAnActionsLimitsAndRefuseABadOneNamingItsKey() {
        Map<String, String> values = minimal();
        values.put("actions.restart.executable", "/bin/true");
        values.put("actions.restart.limits.cpu_time", "5s");
        values.put("actions.restart.limits.processes", "4");
        values.put("actions.restart.limits.working_directory", "/tmp");
        Map<String, String> bad = minimal();
        bad.put("actions.restart.executable", "/bin/true");
        bad.put("actions.restart.limits.memory", "plenty");

        ActionLimits limits = AgentConfig.from(ConfigSource.of(values)).actions().get("restart").limits();

        assertThat(limits.cpuTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.processes()).isEqualTo(4);
        assertThat(limits.workingDirectory()).isEqualTo(Path.of("/tmp"));
        assertThat(limits.memory()).isEqualTo(ActionLimits.DEFAULTS.memory());
        assertThatThrownBy(() -> AgentConfig.from(ConfigSource.of(bad))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("actions.restart.limits.memory").hasMessageContaining("'memory' is not a size");
    }

    @Test
    void shouldListEverySettingInTheDocs() throws Exception {
        assertThat(ConfigDocs.isCurrent(Path.of("..", "docs", "collectors.md"), "collector", AgentKeys.DEFINITION))
                .as("docs/collectors.md lists AgentKeys (-D%s=true rewrites it)", ConfigDocs.WRITE_PROPERTY).isTrue();
    }
}
