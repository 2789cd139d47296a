package dev.vigil.gateway.otlp;

import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.MetricBatch;
import dev.vigil.gateway.GatewayConfig;
import dev.vigil.gateway.GatewayContext;
import dev.vigil.gateway.GatewayKeys;
import dev.vigil.gateway.GatewayProtocol;
import dev.vigil.gateway.publish.EncodedBatch;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.http.RouteAccess;
import io.micrometer.core.instrument.Gauge;

/**
 * OTLP metrics, every way the OpenTelemetry world sends them: {@code POST /v1/metrics} on the shared HTTP server
 * ({@link OtlpHttpHandler}), {@code MetricsService/Export} over gRPC on its own port ({@link OtlpGrpcServer}) and, when
 * {@code otlp.kafka.enabled}, the Collector's Kafka topic ({@link OtlpKafkaConsumer}); one {@link OtlpMapper} for all
 * three, sharing the histogram state.
 */
public final class OtlpProtocol implements GatewayProtocol {

    private OtlpGrpcServer grpc;
    private OtlpKafkaConsumer kafka;
    private final Map<String, String> addresses = new LinkedHashMap<>();

    @Override
    public void start(GatewayContext context) throws IOException {
        GatewayConfig config = context.config();
        ConfigValues values = config.values();
        OtlpMapper mapper = OtlpIngest.mapper(context, new HistogramQuantiles(Math.max(1, config.ratesMaxSeries() / 4)));
        OtlpIngest ingest = new OtlpIngest(mapper, context.publisher());
        Gauge.builder("vigil.gateway.otlp.series.kept", mapper, OtlpMapper::keptSeries)
                .description("OTLP gauge and sum series whose mapping is kept, found again by their resource, name and attributes")
                .register(context.metrics().registry());
        long maxBody = config.httpSecurity().limits().maxBodyBytes();
        context.http().route("/v1/metrics", RouteAccess.role(Role.PUBLISHER), new OtlpHttpHandler(ingest, context.metrics(), maxBody));
        addresses.put("OTLP/HTTP", context.http().scheme() + "://" + config.httpHost() + ":" + context.http().server().getAddress().getPort()
                + "/v1/metrics");
        if (values.get(GatewayKeys.OTLP_GRPC_ENABLED)) {
            // The HTTP server has read the access file and the TLS stores once; gRPC serves from the same, not a second copy.
            grpc = new OtlpGrpcServer(values.get(GatewayKeys.OTLP_GRPC_HOST), values.get(GatewayKeys.OTLP_GRPC_PORT),
                    context.http().authenticator(), context.http().tls(), context.http().clientAuth(), context.http().authFailures(),
                    (int) Math.min(Integer.MAX_VALUE, maxBody), ingest, context.metrics());
            addresses.put("OTLP/gRPC", (context.http().tls().isPresent() ? "https://" : "http://") + grpc.address());
        }
        if (values.get(GatewayKeys.OTLP_KAFKA_ENABLED)) {
            kafka = new OtlpKafkaConsumer(config.kafka(), values.get(GatewayKeys.OTLP_KAFKA_TOPIC), values.get(GatewayKeys.OTLP_KAFKA_GROUP_ID),
                    config.topic(), mapper, context.publisher().assembler(), context.metrics(),
                    EncodedBatch.Writer.of(context.serdes().valueSerde(MetricBatch.class).serializer()), context.serdes().valueSerde(DeadLetter.class).serializer(),
                    Clock.systemUTC());
            kafka.start();
            addresses.put("OTLP/Kafka", "topic " + values.get(GatewayKeys.OTLP_KAFKA_TOPIC));
        }
    }

    /** The gRPC address (host:port), if gRPC is served. */
    public Optional<String> grpcAddress() {
        return grpc == null ? Optional.empty() : Optional.of(grpc.address());
    }

    @Override
    public Map<String, String> addresses() {
        return Collections.unmodifiableMap(addresses);
    }

    @Override
    public String problem() {
        return kafka == null ? null : kafka.problem();
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
        if (grpc != null) {
            grpc.close();
        }
    }
}
