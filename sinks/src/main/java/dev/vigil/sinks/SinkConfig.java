package dev.vigil.sinks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.http.HttpSecurity;
import dev.vigil.sinks.tables.SinkTable;
import dev.vigil.sinks.tables.SinkTables;

/**
 * The sink's validated settings, from a properties file plus {@code VIGIL_*} environment variables, read through
 * {@link SinkKeys} (where every key is defined with its default, checks and doc); a bad value or an unknown key
 * fails start-up with a message naming it. The ClickHouse password comes from {@code VIGIL_CLICKHOUSE_PASSWORD} or
 * a file named by {@code clickhouse.password.file}, never from the command line, and is never logged.
 *
 * @param groupId         consumer group; sink instances with the same one share the partitions
 * @param kafka           consumer and producer settings: every {@code kafka.*} key without the prefix
 * @param registry        schema registry client settings
 * @param clickHouseUrl   HTTP endpoint
 * @param clickHouseUser  the ClickHouse user
 * @param clickHousePassword its password; empty for none
 * @param database        where the tables live
 * @param tables          the tables to write
 * @param retention       how long each table keeps rows (empty: forever); TTL where the server has it, a daily
 *                        partition drop everywhere
 * @param batchRows       flush when this many rows wait for one table
 * @param batchBytes      or this many bytes
 * @param batchInterval   or when the oldest waiting row is this old
 * @param insertTimeout   how long one insert or query may take
 * @param maxBackoff      longest wait between retries while ClickHouse is unavailable
 * @param httpHost        address of /healthz and /metrics
 * @param httpPort        its port (0 for any)
 * @param httpSecurity    who may call it, and TLS
 */
public record SinkConfig(String groupId, Map<String, Object> kafka, Map<String, Object> registry, String clickHouseUrl,
                         String clickHouseUser, String clickHousePassword, String database, List<SinkTable<?>> tables,
                         Map<SinkTable<?>, Optional<Duration>> retention, int batchRows, long batchBytes, Duration batchInterval,
                         Duration insertTimeout, Duration maxBackoff, String httpHost, int httpPort, HttpSecurity httpSecurity) {

    public SinkConfig {
        Objects.requireNonNull(groupId, "groupId can't be null");
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(clickHouseUrl, "clickHouseUrl can't be null");
        Objects.requireNonNull(clickHousePassword, "clickHousePassword can't be null");
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException("clickhouse.database", database, "must be a plain identifier (letters, digits, _)");
        }
        tables = List.copyOf(tables);
        if (tables.isEmpty()) {
            throw new ConfigException("tables", "", "must name at least one table");
        }
        retention = Map.copyOf(retention);
    }

    /** Reads and validates the settings. */
    public static SinkConfig from(ConfigSource source) {
        ConfigValues config = SinkKeys.DEFINITION.read(source);
        List<String> known = SinkTables.ALL.stream().map(SinkTable::name).toList();
        config.namesSet(SinkKeys.RETENTION).stream().filter(name -> !known.contains(name)).findFirst().ifPresent(unknown -> {
            throw config.invalid(SinkKeys.RETENTION.forName(unknown), "unknown table '" + unknown + "'; known: " + known);
        });
        Map<SinkTable<?>, Optional<Duration>> retention = new LinkedHashMap<>();
        for (SinkTable<?> table : SinkTables.ALL) {
            retention.put(table, config.optional(SinkKeys.RETENTION.forName(table.name())).orElse(table.defaultRetention()));
        }
        return new SinkConfig(
                config.get(SinkKeys.GROUP_ID), CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config),
                config.get(SinkKeys.CLICKHOUSE_URL), config.get(SinkKeys.CLICKHOUSE_USER), SinkKeys.CLICKHOUSE_PASSWORD.get(config),
                config.get(SinkKeys.CLICKHOUSE_DATABASE), tables(config, known), retention,
                config.get(SinkKeys.BATCH_ROWS),
                config.get(SinkKeys.BATCH_BYTES),
                config.get(SinkKeys.BATCH_INTERVAL),
                config.get(SinkKeys.CLICKHOUSE_TIMEOUT),
                config.get(SinkKeys.RETRY_MAX_BACKOFF),
                config.get(SinkKeys.HTTP_HOST),
                config.get(SinkKeys.HTTP_PORT),
                HttpSecurity.from(config));
    }

    private static List<SinkTable<?>> tables(ConfigValues config, List<String> known) {
        String names = config.get(SinkKeys.TABLES);
        if (names.isBlank()) {
            return SinkTables.ALL;
        }
        return java.util.Arrays.stream(names.split(",")).map(String::strip).map(name -> SinkTables.ALL.stream()
                .filter(table -> table.name().equals(name)).findFirst()
                .orElseThrow(() -> config.invalid(SinkKeys.TABLES, "unknown table '" + name + "'; known: " + known)))
                .<SinkTable<?>>map(table -> table).toList();
    }

    /** The wait after {@code backoff} in an exponential backoff: twice as long, at most {@code retry.max.backoff}. */
    Duration nextBackoff(Duration backoff) {
        Duration twice = backoff.multipliedBy(2);
        return twice.compareTo(maxBackoff) > 0 ? maxBackoff : twice;
    }

    /** The settings with the password masked, for logs and errors. */
    @Override
    public String toString() {
        return "SinkConfig[group.id=" + groupId + ", clickhouse.url=" + clickHouseUrl + ", clickhouse.user=" + clickHouseUser
                + ", clickhouse.password=" + (clickHousePassword.isEmpty() ? "(none)" : "****") + ", database=" + database
                + ", tables=" + tables.stream().map(SinkTable::name).toList() + ", batch.rows=" + batchRows + ", batch.interval="
                + batchInterval + "]";
    }
}
