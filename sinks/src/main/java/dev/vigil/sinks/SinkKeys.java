package dev.vigil.sinks;

import java.time.Duration;
import java.util.Optional;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.runtime.config.ConfigType;
import dev.vigil.runtime.config.Durations;
import dev.vigil.runtime.config.SecretKey;

/** Every setting of the ClickHouse sink, defined once: {@link SinkConfig} reads them, docs/sinks.md lists them. */
public final class SinkKeys {

    /** A table's retention: a duration, or {@code forever} (empty). */
    private static final ConfigType<Optional<Duration>> RETENTION_TYPE = new ConfigType<>("retention",
            text -> text.equals("forever") ? Optional.empty() : Optional.of(ConfigType.DURATION.parse().apply(text)),
            retention -> retention.map(Durations::format).orElse("forever"));

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("group.id").withDefault("vigil-sinks")
            .doc("instances sharing it share the partitions");
    public static final ConfigKey<String> CLICKHOUSE_URL = ConfigKey.string("clickhouse.url").withDefault("http://127.0.0.1:8123")
            .validatedBy(url -> url.matches("https?://.+"), "must be an http:// or https:// URL").doc("HTTP(S) endpoint");
    public static final ConfigKey<String> CLICKHOUSE_USER = ConfigKey.string("clickhouse.user").withDefault("default").doc("the user it writes as");
    public static final SecretKey CLICKHOUSE_PASSWORD = SecretKey.named("clickhouse.password", "the user's password");
    public static final ConfigKey<String> CLICKHOUSE_DATABASE = ConfigKey.string("clickhouse.database").withDefault("vigil")
            .doc("created if missing");
    public static final ConfigKey<String> TABLES = ConfigKey.string("tables").withDefault("").shownAs("all")
            .doc("comma-separated table names, to split tables across deployments");
    public static final ConfigKey<Optional<Duration>> RETENTION = ConfigKey.of("retention.<table>", RETENTION_TYPE)
            .validatedBy(retention -> retention.map(days -> days.toDays() >= 1).orElse(true), "must be at least 1d, or forever")
            .shownAs("see Tables").doc("e.g. `retention.vigil_samples=90d`, or `forever`");
    public static final ConfigKey<Integer> BATCH_ROWS = ConfigKey.integer("batch.rows", 1, 10_000_000).withDefault(200_000)
            .doc("flush when this many rows wait for one table");
    public static final ConfigKey<Long> BATCH_BYTES = ConfigKey.bytes("batch.bytes").withDefault(64L << 20).doc("or this many bytes");
    public static final ConfigKey<Duration> BATCH_INTERVAL = ConfigKey.duration("batch.interval").withDefault(Duration.ofSeconds(1))
            .doc("or when the oldest waiting row is this old: about one insert per second per table, as ClickHouse advises");
    public static final ConfigKey<Duration> CLICKHOUSE_TIMEOUT = ConfigKey.duration("clickhouse.timeout").withDefault(Duration.ofSeconds(60))
            .doc("one insert or query");
    public static final ConfigKey<Duration> RETRY_MAX_BACKOFF = ConfigKey.duration("retry.max.backoff").withDefault(Duration.ofSeconds(30))
            .doc("longest wait between retries while ClickHouse is unavailable");
    public static final ConfigKey<String> HTTP_HOST = CommonKeys.httpHost("`/healthz` and `/metrics`");
    public static final ConfigKey<Integer> HTTP_PORT = CommonKeys.httpPort(9466);

    public static final ConfigDefinition DEFINITION = ConfigDefinition.of("the ClickHouse sink")
            .with(CommonKeys.kafka("the consumer and the dead-letter producer"), CommonKeys.SCHEMA_REGISTRY, GROUP_ID, CLICKHOUSE_URL,
                    CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE, TABLES, RETENTION, BATCH_ROWS, BATCH_BYTES, BATCH_INTERVAL,
                    CLICKHOUSE_TIMEOUT, RETRY_MAX_BACKOFF, HTTP_HOST, HTTP_PORT, CommonKeys.HTTP_SECURITY);

    private SinkKeys() {
    }
}
