package dev.vigil.streams;

import java.nio.file.Path;
import java.time.Duration;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.streams.alerts.AlertKeys;

/**
 * Every setting of the streams application, defined once: {@link StreamsAppConfig} and {@link TopologySettings} read
 * them, docs/streams.md lists them (and docs/alerts.md the {@code alerts.*} ones, {@link AlertKeys}). The topology's
 * defaults come from {@link TopologySettings#DEFAULT}. The detector has no settings: see {@link dev.vigil.detection.DetectorSettings}.
 */
public final class StreamsKeys {

    private static final TopologySettings TOPOLOGY = TopologySettings.DEFAULT;

    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("application.id").withDefault("vigil-streams")
            .doc("consumer group and prefix of the changelog topics");
    public static final ConfigKey<Path> STATE_DIR = ConfigKey.path("state.dir").withDefault(Path.of("vigil-streams-state"))
            .doc("RocksDB stores; one instance per directory (locked)");
    public static final ConfigKey<Integer> THREADS = ConfigKey.integer("threads", 1, 64).withDefault(1)
            .doc("stream threads; more than the input partitions is useless");
    public static final ConfigKey<Duration> COMMIT_INTERVAL = ConfigKey.duration("commit.interval").withDefault(Duration.ofMillis(200))
            .doc("how often results become visible to `read_committed` consumers: the floor of sample-to-alert latency");
    public static final ConfigKey<Long> ROCKSDB_MEMORY = ConfigKey.bytes("rocksdb.memory").withDefault(64L << 20)
            .doc("all RocksDB stores of the instance together: block cache and write buffers");
    public static final ConfigKey<String> HTTP_HOST = CommonKeys.httpHost("`/healthz`, `/metrics` and the query API");
    public static final ConfigKey<Integer> HTTP_PORT = CommonKeys.httpPort(9465);
    public static final ConfigKey<Integer> MAX_SERIES_PER_HOST = ConfigKey.integer("max.series.per.host", 1, 1_000_000)
            .withDefault(TOPOLOGY.maxSeriesPerHost())
            .doc("series beyond this many on one host go to the dead-letter topic, so a runaway host cannot exhaust memory");
    public static final ConfigKey<Duration> MAX_CLOCK_SKEW = ConfigKey.durationOrZero("max.clock.skew").withDefault(TOPOLOGY.maxClockSkew())
            .doc("how far ahead of this application's clock a sample may be stamped; later ones go to the dead-letter topic. Replaying "
                    + "history is fine (it is in the past), simulating faster than real time from now is not");
    public static final ConfigKey<Duration> ROLLUPS_GRACE = ConfigKey.durationOrZero("rollups.grace").withDefault(TOPOLOGY.rollupGrace())
            .doc("how long a silent series' window stays open after its end; a sample for a window that old is left out of rollups");
    public static final ConfigKey<Duration> ROLLUPS_CLOSE_CHECK_EVERY = ConfigKey.duration("rollups.close.check.every")
            .withDefault(TOPOLOGY.closeCheckEvery()).doc("how often (wall clock) silent series' windows are looked for");
    public static final ConfigKey<Duration> FORECASTS_HORIZON = ConfigKey.duration("forecasts.horizon").withDefault(TOPOLOGY.forecastHorizon())
            .doc("how far ahead forecasts are, one per series per minute");
    public static final ConfigKey<Duration> HOST_SILENCE_AFTER = ConfigKey.durationOrZero("host.silence.after")
            .withDefault(TOPOLOGY.hostSilenceAfter())
            .doc("a host that has not reported for this long (on this application's clock, counted from its start at the earliest) opens "
                    + "a HOST_SILENT alert, resolved when it reports again; hosts retired with `vigil host retire` do not. 0 watches no host "
                    + "([alerts.md](alerts.md#hosts-that-stop-reporting))");

    public static final ConfigDefinition DEFINITION = ConfigDefinition.of("the streams application")
            .with(CommonKeys.kafka("Kafka Streams and its clients (SASL, TLS, `num.standby.replicas` ...) and overrides Vigil's defaults"),
                    CommonKeys.SCHEMA_REGISTRY, APPLICATION_ID, STATE_DIR, THREADS, COMMIT_INTERVAL, ROCKSDB_MEMORY, HTTP_HOST, HTTP_PORT, CommonKeys.HTTP_SECURITY,
                    MAX_SERIES_PER_HOST, MAX_CLOCK_SKEW, ROLLUPS_GRACE, ROLLUPS_CLOSE_CHECK_EVERY, FORECASTS_HORIZON, HOST_SILENCE_AFTER)
            .withGroup(AlertKeys.DEFINITION, "alerts.*", "when scores become alerts: [alerts.md](alerts.md#when-alerts-open-and-resolve)");

    private StreamsKeys() {
    }
}
