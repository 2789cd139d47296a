package dev.vigil.gateway;

import java.time.Duration;
import java.util.Arrays;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.schemas.Topics;

/** Every setting of the gateway, defined once: {@link GatewayConfig} reads them, docs/ingest.md lists them. */
public final class GatewayKeys {

    public static final ConfigKey<String> HTTP_HOST = CommonKeys.httpHost("the HTTP protocols (OTLP/HTTP, remote write), `/metrics` and `/healthz`");
    /** OTLP/HTTP's own default port. */
    public static final ConfigKey<Integer> HTTP_PORT = CommonKeys.httpPort(4318);
    public static final ConfigKey<String> HOST_ATTRIBUTES = ConfigKey.string("gateway.host.attributes")
            .withDefault("host.name,service.instance.id,instance")
            .validatedBy(GatewayKeys::isNameList, "must be a comma-separated list of attribute or label names")
            .doc("the resource attributes (then point attributes, labels) that give a point's host id, the first present wins; "
                    + "a point with none is refused `no_host` ([ingest.md](ingest.md#host-identity))");
    public static final ConfigKey<String> TOPIC = ConfigKey.string("topic").withDefault(Topics.METRICS.name()).doc("destination");
    public static final ConfigKey<Integer> MAX_SERIES_PER_HOST = ConfigKey.integer("max.series.per.host", 1, 1_000_000).withDefault(10_000)
            .doc("series one host may have; points of a new series beyond it are refused `too_many_series` (keep it at most the "
                    + "streams application's `max.series.per.host`)");
    public static final ConfigKey<Integer> RATES_MAX_SERIES = ConfigKey.integer("rates.max.series", 1, 100_000_000).withDefault(1_000_000)
            .doc("cumulative series whose last point the gateway remembers to make rates; a new one beyond it gives no rate");
    public static final ConfigKey<Duration> STALENESS = ConfigKey.duration("staleness").withDefault(Duration.ofMinutes(10))
            .doc("a series not seen for this long is forgotten: its next cumulative point starts over (no rate) and its place "
                    + "under `max.series.per.host` is free");
    public static final ConfigKey<Integer> PUBLISH_PRODUCERS = ConfigKey.integer("publish.producers", 1, 64).withDefault(1)
            .doc("transactional Kafka producers, so transactions open at once; requests that arrive while all are busy go together "
                    + "into the next free one's transaction. 1 makes the largest groups and the least CPU per sample; more answer "
                    + "sooner when few clients send at once, at more CPU per sample (docs/benchmarks.md)");
    public static final ConfigKey<Integer> PUBLISH_MAX_IN_FLIGHT = ConfigKey.integer("publish.max.in.flight", 1, 100_000).withDefault(64)
            .doc("requests being published or waiting for a producer; one more is answered 429 / RESOURCE_EXHAUSTED at once");
    public static final ConfigKey<Duration> PUBLISH_TIMEOUT = ConfigKey.duration("publish.timeout").withDefault(Duration.ofSeconds(10))
            .doc("how long a request may wait for a producer and for Kafka's acknowledgement; beyond it nothing of it is published "
                    + "and it is answered 429 / RESOURCE_EXHAUSTED");
    public static final ConfigKey<Duration> RETRY_AFTER = ConfigKey.duration("retry.after").withDefault(Duration.ofSeconds(5))
            .doc("the `Retry-After` of an overloaded answer");

    public static final ConfigKey<String> OTLP_RESOURCE_LABELS = ConfigKey.string("otlp.resource.labels")
            .withDefault("service.name,service.namespace,deployment.environment.name")
            .validatedBy(value -> value.isEmpty() || isNameList(value), "must be a comma-separated list of attribute names")
            .doc("OTLP resource attributes copied onto every point's labels (the host attribute never is)");
    public static final ConfigKey<Boolean> OTLP_GRPC_ENABLED = ConfigKey.bool("otlp.grpc.enabled").withDefault(true)
            .doc("serve OTLP/gRPC");
    public static final ConfigKey<String> OTLP_GRPC_HOST = ConfigKey.string("otlp.grpc.host").withDefault("127.0.0.1")
            .doc("address of OTLP/gRPC; it serves the HTTP server's TLS and client-certificate settings (`http.tls.*`) and, beyond "
                    + "loopback, needs `http.access.file`, whose tokens and certificates it checks as the HTTP server does");
    public static final ConfigKey<Integer> OTLP_GRPC_PORT = ConfigKey.integer("otlp.grpc.port", 0, 65_535).withDefault(4317)
            .doc("its port; 0 picks a free one");
    public static final ConfigKey<Boolean> OTLP_KAFKA_ENABLED = ConfigKey.bool("otlp.kafka.enabled").withDefault(false)
            .doc("consume the OpenTelemetry Collector's Kafka exporter topic (`otlp_proto` encoding) into `vigil.metrics`, exactly once");
    public static final ConfigKey<String> OTLP_KAFKA_TOPIC = ConfigKey.string("otlp.kafka.topic").withDefault("otlp_metrics")
            .doc("the Collector's topic (its kafka exporter's `metrics::topic`)");
    public static final ConfigKey<Integer> OTLP_SERIES_KEPT = ConfigKey.integer("otlp.series.kept", 0, 100_000_000)
            .withDefault(100_000)
            .doc("OTLP gauge and sum series whose mapping the gateway keeps, found again by their resource, name and attributes "
                    + "(their bytes, over OTLP/HTTP protobuf and Kafka) so that their points are read without parsing the attributes "
                    + "or looking the series up (about 1 KiB each); beyond it new series are mapped "
                    + "without being kept, and every 5 minutes all are forgotten and learnt again ([ingest.md](ingest.md#speed))");
    public static final ConfigKey<String> OTLP_KAFKA_GROUP_ID = ConfigKey.string("otlp.kafka.group.id").withDefault("vigil-gateway-otlp")
            .doc("the consumer group reading it");

    // Prometheus remote write and scrape
    public static final ConfigKey<Boolean> PROMETHEUS_STRIP_PORT = ConfigKey.bool("prometheus.host.strip.port").withDefault(true)
            .doc("whether a Prometheus host label's trailing `:port` is dropped (`instance=\"web-1:9100\"` is host `web-1`), so "
                    + "a host's exporters land on one host ([ingest.md](ingest.md#prometheus-remote-write))");
    public static final ConfigKey<Integer> PROMETHEUS_SERIES_KEPT = ConfigKey.integer("prometheus.remote.write.series.kept", 0, 100_000_000)
            .withDefault(100_000)
            .doc("remote-write series whose mapping the gateway keeps, found again by their label bytes so that their samples are "
                    + "read without decoding their labels (about 1 KiB each); beyond it new series are mapped without being kept, "
                    + "and every 5 minutes all are forgotten and learnt again ([ingest.md](ingest.md#speed))");
    public static final ConfigKey<java.nio.file.Path> PROMETHEUS_SCRAPE_FILE = ConfigKey.path("prometheus.scrape.file")
            .doc("a Prometheus-style file of `scrape_configs` (static and file-based targets) the gateway scrapes itself; "
                    + "none: no scraping ([ingest.md](ingest.md#prometheus-scrape))");

    public static final ConfigDefinition DEFINITION = ConfigDefinition.of("the gateway")
            .with(CommonKeys.kafka("the producers and consumers: `kafka.security.protocol`, `kafka.compression.type` ..."),
                    CommonKeys.SCHEMA_REGISTRY, HTTP_HOST, HTTP_PORT, CommonKeys.HTTP_SECURITY, HOST_ATTRIBUTES, TOPIC, MAX_SERIES_PER_HOST,
                    RATES_MAX_SERIES, STALENESS, PUBLISH_PRODUCERS, PUBLISH_MAX_IN_FLIGHT, PUBLISH_TIMEOUT, RETRY_AFTER,
                    OTLP_RESOURCE_LABELS, OTLP_GRPC_ENABLED, OTLP_GRPC_HOST, OTLP_GRPC_PORT, OTLP_KAFKA_ENABLED, OTLP_KAFKA_TOPIC,
                    OTLP_KAFKA_GROUP_ID, OTLP_SERIES_KEPT, PROMETHEUS_STRIP_PORT, PROMETHEUS_SERIES_KEPT, PROMETHEUS_SCRAPE_FILE);

    private GatewayKeys() {
    }

    private static boolean isNameList(String value) {
        return !value.isBlank() && Arrays.stream(value.split(",", -1)).map(String::strip).noneMatch(String::isEmpty);
    }
}
