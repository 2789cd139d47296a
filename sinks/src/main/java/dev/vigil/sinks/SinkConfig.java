package dev.vigil.sinks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.sinks.tables.SinkTable;
import dev.vigil.sinks.tables.SinkTables;

/**
 * The sink's validated settings, from a properties file plus {@code VIGIL_*} environment variables; a bad
 * value fails start-up with a message naming its key. The ClickHouse password comes from
 * {@code VIGIL_CLICKHOUSE_PASSWORD} or a file named by {@code clickhouse.password.file}, never from the
 * command line, and is never logged.
 *
 * @param groupId         consumer group; sink instances with the same one share the partitions ({@code group.id}, vigil-sinks)
 * @param kafka           consumer and producer settings: every {@code kafka.*} key without the prefix
 * @param registry        schema registry settings ({@code schema.registry.*}, {@code basic.auth.*})
 * @param clickHouseUrl   HTTP endpoint ({@code clickhouse.url}, http://127.0.0.1:8123)
 * @param clickHouseUser  ({@code clickhouse.user}, default)
 * @param clickHousePassword ({@code clickhouse.password} from the environment, or {@code clickhouse.password.file})
 * @param database        where the tables live ({@code clickhouse.database}, vigil)
 * @param tables          the tables to write ({@code tables}: comma-separated names, default all)
 * @param retention       how long each table keeps rows ({@code retention.<table>}, e.g. {@code retention.vigil_samples=30d};
 *                        {@code forever} keeps them); TTL where the server has it, a daily partition drop everywhere
 * @param batchRows       flush when this many rows wait for one table ({@code batch.rows}, 200000)
 * @param batchBytes      or this many bytes ({@code batch.bytes}, 64MiB)
 * @param batchInterval   or when the oldest waiting row is this old ({@code batch.interval}, 1s: about one insert
 *                        per second per table, as ClickHouse advises)
 * @param insertTimeout   how long one insert or query may take ({@code clickhouse.timeout}, 60s)
 * @param maxBackoff      longest wait between retries while ClickHouse is unavailable ({@code retry.max.backoff}, 30s)
 * @param httpHost        address of /healthz and /metrics ({@code http.host}, 127.0.0.1)
 * @param httpPort        ({@code http.port}, 9466; 0 for any)
 */
public record SinkConfig(String groupId, Map<String, Object> kafka, Map<String, Object> registry, String clickHouseUrl,
                         String clickHouseUser, String clickHousePassword, String database, List<SinkTable<?>> tables,
                         Map<SinkTable<?>, Optional<Duration>> retention, int batchRows, long batchBytes, Duration batchInterval,
                         Duration insertTimeout, Duration maxBackoff, String httpHost, int httpPort) {

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
    public static SinkConfig from(ConfigSource config) {
        Map<String, Object> kafka = config.kafkaClient();
        Map<String, Object> registry = config.schemaRegistry();
        String url = config.string("clickhouse.url", "http://127.0.0.1:8123");
        if (!url.matches("https?://.+")) {
            throw new ConfigException("clickhouse.url", url, "must be an http:// or https:// URL");
        }
        List<SinkTable<?>> tables = tables(config.string("tables", ""));
        Map<SinkTable<?>, Optional<Duration>> retention = new LinkedHashMap<>();
        for (SinkTable<?> table : SinkTables.ALL) {
            String key = "retention." + table.name();
            String raw = config.optional(key).map(String::strip).orElse(null);
            retention.put(table, raw == null ? table.defaultRetention()
                    : raw.equals("forever") ? Optional.empty() : Optional.of(positiveDays(config, key)));
        }
        return new SinkConfig(
                config.string("group.id", "vigil-sinks"), kafka, registry, url,
                config.string("clickhouse.user", "default"), password(config),
                config.string("clickhouse.database", "vigil"), tables, retention,
                config.integer("batch.rows", 200_000, 1, 10_000_000),
                config.bytes("batch.bytes", 64L << 20),
                config.duration("batch.interval", Duration.ofSeconds(1)),
                config.duration("clickhouse.timeout", Duration.ofSeconds(60)),
                config.duration("retry.max.backoff", Duration.ofSeconds(30)),
                config.string("http.host", "127.0.0.1"),
                config.integer("http.port", 9466, 0, 65_535));
    }

    private static Duration positiveDays(ConfigSource config, String key) {
        Duration retention = config.duration(key, Duration.ZERO);
        if (retention.toDays() < 1) {
            throw new ConfigException(key, retention.toString(), "must be at least 1d, or forever");
        }
        return retention;
    }

    private static List<SinkTable<?>> tables(String names) {
        if (names.isBlank()) {
            return SinkTables.ALL;
        }
        return java.util.Arrays.stream(names.split(",")).map(String::strip).map(name -> SinkTables.ALL.stream()
                .filter(table -> table.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("tables", names, "unknown table '" + name + "'; known: "
                        + SinkTables.ALL.stream().map(SinkTable::name).toList())))
                .<SinkTable<?>>map(table -> table).toList();
    }

    private static String password(ConfigSource config) {
        Optional<String> file = config.optional("clickhouse.password.file");
        if (file.isPresent()) {
            try {
                return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException("clickhouse.password.file", file.get(), "cannot be read: " + e.getMessage());
            }
        }
        return config.string("clickhouse.password", "");
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
