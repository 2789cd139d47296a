package dev.vigil.runtime.config;

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

class ConfigDefinitionTest {

    private static final ConfigKey<Integer> THREADS = ConfigKey.integer("threads", 1, 64).withDefault(1).doc("stream threads");
    private static final ConfigKey<Double> THRESHOLD = ConfigKey.decimal("alerts.open.threshold", 0, 1).withDefault(0.5).doc("opens at");
    private static final ConfigKey<Duration> COMMIT = ConfigKey.duration("commit.interval").withDefault(Duration.ofMillis(200)).doc("commits");
    private static final ConfigKey<Duration> OPEN_AFTER = ConfigKey.durationOrZero("alerts.open.after").withDefault(Duration.ZERO).doc("waits");
    private static final ConfigKey<Long> MEMORY = ConfigKey.bytes("rocksdb.memory").withDefault(64L << 20).doc("memory");
    private static final ConfigKey<Boolean> ENABLED = ConfigKey.bool("sensors.<name>.enabled").withDefault(true).doc("switch");
    private static final ConfigKey<Path> STATE_DIR = ConfigKey.path("state.dir").withDefault(Path.of("state")).doc("stores");
    private static final ConfigKey<String> POLICY = ConfigKey.string("policy.file").required().doc("the policy");
    private static final SecretKey AUDIT_KEY = SecretKey.named("audit.key", "HMAC key").required();
    private static final ConfigDefinition DEFINITION = ConfigDefinition.of("the test service")
            .with(CommonKeys.kafka("the test's clients"), THREADS, THRESHOLD, COMMIT, OPEN_AFTER, MEMORY, ENABLED, STATE_DIR, POLICY, AUDIT_KEY)
            .passingOn("host.labels.", "labels");

    private static ConfigValues read(String... pairs) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", "k:9092", "policy.file", "p.yaml"));
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return DEFINITION.read(ConfigSource.of(values));
    }

    @Test
    void shouldReadEachTypeAndFallBackToDefaults() {
        ConfigValues values = read("threads", "4", "alerts.open.threshold", "0.6", "commit.interval", "5s", "alerts.open.after", "0",
                "rocksdb.memory", "1GiB", "sensors.cpu.enabled", "off", "state.dir", "/var/lib/vigil");

        assertThat(values.get(THREADS)).isEqualTo(4);
        assertThat(values.get(THRESHOLD)).isEqualTo(0.6);
        assertThat(values.get(COMMIT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(values.get(OPEN_AFTER)).isZero();
        assertThat(values.get(MEMORY)).isEqualTo(1L << 30);
        assertThat(values.get(ENABLED.forName("cpu"))).isFalse();
        assertThat(values.get(ENABLED.forName("tcp"))).isTrue();
        assertThat(values.namesSet(ENABLED)).containsExactly("cpu");
        assertThat(values.get(STATE_DIR)).isEqualTo(Path.of("/var/lib/vigil"));
        assertThat(read().get(THREADS)).isEqualTo(1);
        assertThat(read().get(COMMIT)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void shouldRefuseValuesOutsideTheirRangeNamingKeyAndWhereItWasSet() {
        assertThatThrownBy(() -> read("threads", "0")).isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 0 for configuration threads: must be between 1 and 64 (set in the given settings)");
        assertThatThrownBy(() -> read("threads", "many")).hasMessageContaining("threads").hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> read("alerts.open.threshold", "1.5")).hasMessageContaining("alerts.open.threshold").hasMessageContaining("between");
        assertThatThrownBy(() -> read("commit.interval", "0s")).hasMessageContaining("commit.interval").hasMessageContaining("must be positive");
        assertThatThrownBy(() -> read("alerts.open.after", "PT-1S")).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> read("rocksdb.memory", "lots")).hasMessageContaining("rocksdb.memory").hasMessageContaining("not a size");
        assertThatThrownBy(() -> read("sensors.cpu.enabled", "maybe")).hasMessageContaining("sensors.cpu.enabled").hasMessageContaining("true or false");
    }

    @Test
    void shouldNameTheMissingRequiredKeyAndItsVariable() {
        ConfigValues values = DEFINITION.read(ConfigSource.of(Map.of("policy.file", "p.yaml")));

        assertThatThrownBy(() -> values.get(CommonKeys.KAFKA_BOOTSTRAP_SERVERS)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldRefuseAnUnknownKeySuggestingTheNearestKnownOne() {
        assertThatThrownBy(() -> read("threads.count", "4")).isInstanceOf(ConfigException.class)
                .hasMessage("unknown setting 'threads.count' in the given settings; did you mean 'threads'?");
        assertThatThrownBy(() -> read("comit.interval", "1s")).hasMessageContaining("did you mean 'commit.interval'?");
        assertThatThrownBy(() -> read("kafak.bootstrap.servers", "k:9092")).hasMessageContaining("did you mean 'kafka.bootstrap.servers'?");
        assertThatThrownBy(() -> read("sensors.cpu.enable", "false")).hasMessageContaining("did you mean 'sensors.cpu.enabled'?");
        assertThatThrownBy(() -> read("clickhouse.password", "x"))
                .hasMessage("unknown setting 'clickhouse.password' in the given settings (not a setting of the test service)");
    }

    @Test
    void shouldPassKeysUnderADeclaredPrefixOnUnread() {
        ConfigValues values = read("kafka.security.protocol", "SASL_SSL", "host.labels.datacenter", "fra1");

        assertThat(CommonKeys.kafkaClient(values)).containsEntry("security.protocol", "SASL_SSL").containsEntry("bootstrap.servers", "k:9092");
        assertThat(values.passedOn("host.labels.")).containsExactly(Map.entry("host.labels.datacenter", "fra1"));
        assertThatThrownBy(() -> values.passedOn("clickhouse.")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheFileForKnownKeysAndIgnoreOtherVariables(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, "kafka.bootstrap.servers=file:9092\npolicy.file=p.yaml\nthreads=2\nhost.labels.my_label=a\n");
        Map<String, String> environment = Map.of("VIGIL_THREADS", "8", "VIGIL_KAFKA_SASL_JAAS_CONFIG", "secret",
                "VIGIL_SENSORS_TCP_ENABLED", "false", "VIGIL_HOST_LABELS_MY_LABEL", "b", "VIGIL_AUDIT_KEY", "0123",
                "VIGIL_CLICKHOUSE_PASSWORD", "for-the-sink", "VIGIL_LOG_FILE", "/tmp/vigil.log", "PATH", "/usr/bin");

        ConfigValues values = DEFINITION.read(ConfigSource.load(Optional.of(file), environment));

        assertThat(values.get(THREADS)).isEqualTo(8);
        assertThat(CommonKeys.kafkaClient(values)).containsEntry("sasl.jaas.config", "secret").containsEntry("bootstrap.servers", "file:9092");
        assertThat(values.get(ENABLED.forName("tcp"))).isFalse();
        assertThat(values.passedOn("host.labels.")).containsExactly(Map.entry("host.labels.my_label", "b"));
        assertThat(AUDIT_KEY.get(values)).isEqualTo("0123");
        assertThatThrownBy(() -> DEFINITION.read(ConfigSource.load(Optional.of(file), Map.of("VIGIL_THREADS", "0"))))
                .hasMessageContaining("threads").hasMessageContaining("set as VIGIL_THREADS");
    }

    @Test
    void shouldTakeFallbacksOnlyForItsOwnKeysAndOnlyWhereNothingIsSet() {
        ConfigSource source = ConfigSource.of(Map.of("kafka.bootstrap.servers", "k:9092", "policy.file", "p.yaml", "threads", "3"))
                .withFallback(THREADS, 5).withFallback(STATE_DIR, Path.of("/work/state"))
                .withFallback(ConfigKey.string("clickhouse.url"), "http://127.0.0.1:8123");

        ConfigValues values = DEFINITION.read(source);

        assertThat(values.get(THREADS)).isEqualTo(3);
        assertThat(values.get(STATE_DIR)).isEqualTo(Path.of("/work/state"));
    }

    @Test
    void shouldReadASecretFromItsFileFirstAndNeverShowIt(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("audit.key");
        Files.writeString(key, "from-the-file\n");

        assertThat(AUDIT_KEY.get(read("audit.key", "inline", "audit.key.file", key.toString()))).isEqualTo("from-the-file");
        assertThat(AUDIT_KEY.get(read("audit.key", "inline"))).isEqualTo("inline");
        assertThatThrownBy(() -> AUDIT_KEY.get(read())).hasMessageContaining("set VIGIL_AUDIT_KEY or audit.key.file");
        assertThatThrownBy(() -> AUDIT_KEY.get(read("audit.key.file", dir.resolve("missing").toString())))
                .hasMessageContaining("audit.key.file").hasMessageContaining("cannot be read");
        ConfigKey<String> password = ConfigKey.string("password").secret().validatedBy(value -> value.length() > 8, "too short");
        assertThatThrownBy(() -> ConfigDefinition.of("x").with(password).read(ConfigSource.of(Map.of("password", "hunter2"))))
                .hasMessageContaining("(hidden)").hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldRefuseAKeyDefinedTwice() {
        assertThatThrownBy(() -> DEFINITION.with(ConfigKey.integer("threads", 1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads is defined twice");
    }

    @Test
    void shouldMakeTheDocsTableFromTheDefinitions() {
        assertThat(DEFINITION.markdownTable()).startsWith("| key | default | meaning |\n|---|---|---|\n")
                .contains("| `kafka.bootstrap.servers` | (required) | Kafka's brokers, `host:port,host:port` |\n")
                .contains("| `kafka.*` | | every other `kafka.*` key, without the prefix, goes to the test's clients |\n")
                .contains("| `threads` | `1` | stream threads |\n")
                .contains("| `alerts.open.threshold` | `0.5` | opens at |\n")
                .contains("| `commit.interval` | `200ms` | commits |\n")
                .contains("| `alerts.open.after` | `0` | waits |\n")
                .contains("| `rocksdb.memory` | `64MiB` | memory |\n")
                .contains("| `sensors.<name>.enabled` | `true` | switch |\n")
                .contains("| `audit.key`, `audit.key.file` | (required) | HMAC key; from `VIGIL_AUDIT_KEY` or the file `audit.key.file` names, never logged |\n")
                .endsWith("| `host.labels.*` | | labels |\n");
    }

    @Test
    void shouldReplaceOnlyTheMarkedTableInADocument() {
        String document = "# Settings\n\n<!-- settings:test generated -->\n\n| old |\n\n<!-- /settings:test -->\n\nAfter.\n";

        String updated = ConfigDocs.withTable(document, "test", ConfigDefinition.of("x").with(THREADS));

        assertThat(updated).isEqualTo("# Settings\n\n<!-- settings:test generated -->\n\n| key | default | meaning |\n|---|---|---|\n"
                + "| `threads` | `1` | stream threads |\n\n<!-- /settings:test -->\n\nAfter.\n");
        assertThat(ConfigDocs.withTable(updated, "test", ConfigDefinition.of("x").with(THREADS))).isEqualTo(updated);
    }

    @Test
    void shouldMeasureEditDistance() {
        assertThat(ConfigDefinition.editDistance("threads.count", "threads")).isEqualTo(6);
        assertThat(ConfigDefinition.editDistance("kafak", "kafka")).isEqualTo(2);
        assertThat(ConfigDefinition.editDistance("", "abc")).isEqualTo(3);
    }
}
