package dev.vigil.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.http.HttpSecurity;

/**
 * The streams application's validated settings, from a properties file plus {@code VIGIL_*} environment
 * variables, read through {@link StreamsKeys} (where every key is defined with its default, checks and doc); a bad
 * value or an unknown key fails start-up with a message naming it.
 *
 * @param applicationId   Kafka Streams application id: consumer group, prefix of internal topics
 * @param kafka           Kafka Streams / client settings: every {@code kafka.*} key without the prefix. They
 *                        override Vigil's defaults.
 * @param registry        schema registry client settings
 * @param stateDir        where RocksDB keeps the stores
 * @param threads         stream threads (at most one per input partition is useful)
 * @param commitInterval  how often results become visible to read_committed consumers
 * @param rocksDbMemory   memory shared by all RocksDB stores of this instance, block cache and write buffers together
 * @param httpHost        address of /healthz, /metrics and the query API
 * @param httpPort        its port (0 for any)
 * @param httpSecurity    who may call it, and TLS
 * @param topology        what to detect and alert on (see {@link TopologySettings#from})
 */
public record StreamsAppConfig(String applicationId, Map<String, Object> kafka, Map<String, Object> registry,
                               Path stateDir, int threads, Duration commitInterval, long rocksDbMemory,
                               String httpHost, int httpPort, HttpSecurity httpSecurity, TopologySettings topology) {

    public StreamsAppConfig {
        Objects.requireNonNull(applicationId, "applicationId can't be null");
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(stateDir, "stateDir can't be null");
        Objects.requireNonNull(topology, "topology can't be null");
    }

    /** Reads and validates the settings. */
    public static StreamsAppConfig from(ConfigSource source) {
        ConfigValues config = StreamsKeys.DEFINITION.read(source);
        return new StreamsAppConfig(
                config.get(StreamsKeys.APPLICATION_ID),
                CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config),
                config.get(StreamsKeys.STATE_DIR),
                config.get(StreamsKeys.THREADS),
                config.get(StreamsKeys.COMMIT_INTERVAL),
                config.get(StreamsKeys.ROCKSDB_MEMORY),
                config.get(StreamsKeys.HTTP_HOST),
                config.get(StreamsKeys.HTTP_PORT),
                HttpSecurity.from(config),
                TopologySettings.from(config));
    }
}
