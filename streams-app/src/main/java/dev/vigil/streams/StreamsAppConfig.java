package dev.vigil.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import dev.vigil.runtime.config.ConfigSource;

/**
 * The streams application's validated settings, from a properties file plus {@code VIGIL_*} environment
 * variables ({@link ConfigSource}); a bad value fails start-up with a message naming its key.
 *
 * @param applicationId   Kafka Streams application id: consumer group, prefix of internal topics
 *                        ({@code application.id}, default vigil-streams)
 * @param kafka           Kafka Streams / client settings: every {@code kafka.*} key without the prefix;
 *                        {@code kafka.bootstrap.servers} required. They override Vigil's defaults.
 * @param registry        schema registry settings: every {@code schema.registry.*} and {@code basic.auth.*} key
 * @param stateDir        where RocksDB keeps the stores ({@code state.dir}, default ./vigil-streams-state)
 * @param threads         stream threads ({@code threads}, default 1; at most one per input partition is useful)
 * @param commitInterval  how often results become visible to read_committed consumers ({@code commit.interval}, 200ms)
 * @param rocksDbMemory   memory shared by all RocksDB stores of this instance, block cache and write buffers
 *                        together ({@code rocksdb.memory}, default 64MiB)
 * @param httpHost        address of /healthz, /metrics and the query API ({@code http.host}, default 127.0.0.1)
 * @param httpPort        its port ({@code http.port}, default 9465; 0 for any)
 * @param topology        what to detect and alert on (see {@link TopologySettings#from})
 */
public record StreamsAppConfig(String applicationId, Map<String, Object> kafka, Map<String, Object> registry,
                               Path stateDir, int threads, Duration commitInterval, long rocksDbMemory,
                               String httpHost, int httpPort, TopologySettings topology) {

    public StreamsAppConfig {
        Objects.requireNonNull(applicationId, "applicationId can't be null");
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(stateDir, "stateDir can't be null");
        Objects.requireNonNull(topology, "topology can't be null");
    }

    /** Reads and validates the settings. */
    public static StreamsAppConfig from(ConfigSource config) {
        Map<String, Object> kafka = config.kafkaClient();
        Map<String, Object> registry = config.schemaRegistry();
        return new StreamsAppConfig(
                config.string("application.id", "vigil-streams"),
                kafka, registry,
                Path.of(config.string("state.dir", "vigil-streams-state")),
                config.integer("threads", 1, 1, 64),
                config.duration("commit.interval", Duration.ofMillis(200)),
                config.bytes("rocksdb.memory", 64L << 20),
                config.string("http.host", "127.0.0.1"),
                config.integer("http.port", 9465, 0, 65_535),
                TopologySettings.from(config));
    }
}
