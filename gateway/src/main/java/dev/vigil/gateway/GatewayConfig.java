package dev.vigil.gateway;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.http.HttpSecurity;

/**
 * The gateway's validated settings, read from a properties file plus {@code VIGIL_*} environment variables through
 * {@link GatewayKeys}; every problem fails start-up with a message naming the key.
 *
 * @param kafka            Kafka client settings: every {@code kafka.*} key without the prefix
 * @param registry         schema registry client settings
 * @param httpHost         address of the HTTP protocols, {@code /metrics} and {@code /healthz}
 * @param httpPort         its port (0 for any)
 * @param httpSecurity     who may call it, and TLS
 * @param hostAttributes   the attributes or labels that give a point's host id, in order of preference
 * @param topic            where batches go
 * @param maxSeriesPerHost series per host
 * @param ratesMaxSeries   cumulative series remembered for rates
 * @param staleness        how long an unseen series is remembered
 * @param publish          how requests are published
 * @param values           every setting read, for the protocols' own keys
 */
public record GatewayConfig(Map<String, Object> kafka, Map<String, Object> registry, String httpHost, int httpPort, HttpSecurity httpSecurity,
                            List<String> hostAttributes, String topic, int maxSeriesPerHost, int ratesMaxSeries, Duration staleness,
                            Publish publish, ConfigValues values) {

    /**
     * How requests are published ({@code publish.*}, {@code retry.after}).
     *
     * @param producers   transactional producers in the pool
     * @param maxInFlight requests publishing or waiting at once
     * @param timeout     wait for a producer and for Kafka
     * @param retryAfter  what an overloaded answer says
     */
    public record Publish(int producers, int maxInFlight, Duration timeout, Duration retryAfter) {
    }

    public GatewayConfig {
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(httpSecurity, "httpSecurity can't be null");
        hostAttributes = List.copyOf(hostAttributes);
        Objects.requireNonNull(publish, "publish can't be null");
    }

    /** Reads and validates the settings ({@link GatewayKeys}). */
    public static GatewayConfig from(ConfigSource source) {
        ConfigValues config = GatewayKeys.DEFINITION.read(source);
        List<String> attributes = Arrays.stream(config.get(GatewayKeys.HOST_ATTRIBUTES).split(",")).map(String::strip).toList();
        return new GatewayConfig(CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config), config.get(GatewayKeys.HTTP_HOST),
                config.get(GatewayKeys.HTTP_PORT), HttpSecurity.from(config), attributes, config.get(GatewayKeys.TOPIC),
                config.get(GatewayKeys.MAX_SERIES_PER_HOST), config.get(GatewayKeys.RATES_MAX_SERIES), config.get(GatewayKeys.STALENESS),
                new Publish(config.get(GatewayKeys.PUBLISH_PRODUCERS), config.get(GatewayKeys.PUBLISH_MAX_IN_FLIGHT),
                        config.get(GatewayKeys.PUBLISH_TIMEOUT), config.get(GatewayKeys.RETRY_AFTER)), config);
    }

    @Override
    public String toString() {
        return "GatewayConfig[kafka=" + kafka.get("bootstrap.servers") + ", http=" + httpHost + ":" + httpPort + ", " + httpSecurity
                + ", hostAttributes=" + hostAttributes + ", topic=" + topic + ", maxSeriesPerHost=" + maxSeriesPerHost + ", " + publish + "]";
    }
}
