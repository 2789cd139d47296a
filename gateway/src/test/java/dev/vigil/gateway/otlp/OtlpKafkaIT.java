package dev.vigil.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.GatewayApp;
import dev.vigil.gateway.GatewayFixture;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The OpenTelemetry Collector's Kafka exporter topic, as its {@code otlp_proto} encoding writes it: the SDK's own
 * marshaller's {@code ExportMetricsServiceRequest} bytes, one request per record, plus a record of garbage. Consumed into
 * {@code vigil.metrics} exactly once, across a gateway restart; the garbage becomes a dead letter.
 */
@ExtendWith(LocalStackExtension.class)
class OtlpKafkaIT {

    /** Keeps what the SDK exports, as the Collector would have received it. */
    private static final class Capture implements MetricExporter {
        final List<byte[]> requests = new ArrayList<>();

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try {
                MetricsRequestMarshaler.create(metrics).writeBinaryTo(bytes);
            } catch (java.io.IOException e) {
                return CompletableResultCode.ofFailure();
            }
            requests.add(bytes.toByteArray());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType type) {
            return AggregationTemporality.CUMULATIVE;
        }
    }

    @Test
    void shouldConsumeTheCollectorsTopicExactlyOnceAndDeadLetterGarbage(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String otlpTopic = "it.otlp_metrics." + UUID.randomUUID();
        String topic = "it.gateway.kafka." + UUID.randomUUID();
        GatewayFixture fixture = new GatewayFixture(stack, dir);
        fixture.createTopics(otlpTopic, topic);
        Capture capture = new Capture();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("host.name"), "collector-fed-1")))
                .registerMetricReader(PeriodicMetricReader.builder(capture).setInterval(Duration.ofHours(1)).build()).build();
        LongCounter jobs = provider.get("it").counterBuilder("etl.rows").build();
        jobs.add(1_000);
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        Thread.sleep(200);
        jobs.add(500);
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.close(); // exports once more: a third request, left out
        assertThat(capture.requests).hasSizeGreaterThanOrEqualTo(2);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(otlpTopic, 0, null, capture.requests.get(0))).get();
            producer.send(new ProducerRecord<>(otlpTopic, 0, null, new byte[] {0x0A, 0x05, 0x01})).get(); // a length beyond the end
            producer.send(new ProducerRecord<>(otlpTopic, 0, null, capture.requests.get(1))).get();
        }
        Map<String, String> settings = Map.of("topic", topic, "otlp.grpc.enabled", "false", "otlp.kafka.enabled", "true",
                "otlp.kafka.topic", otlpTopic, "otlp.kafka.group.id", "it-" + UUID.randomUUID());
        try (GatewayApp gateway = GatewayApp.start(fixture.config(settings))) {
            List<ConsumerRecord<String, MetricBatch>> records = fixture.batches(topic, read -> rows(read).size() >= 1, Duration.ofSeconds(30));
            assertThat(rows(records)).singleElement().satisfies(rate -> assertThat(rate.getValue()).isPositive());
            assertThat(records).allSatisfy(record -> assertThat(record.key()).isEqualTo("collector-fed-1"));
        }
        List<DeadLetter> letters = fixture.deadLetters(otlpTopic, 1, Duration.ofSeconds(20));
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getReason().toString()).isEqualTo("MALFORMED_OTLP");
            assertThat(letter.getStage().toString()).isEqualTo("gateway");
            assertThat(letter.getSourceOffset()).isEqualTo(1);
        });

        // Started again on the same group: nothing is read twice.
        try (GatewayApp again = GatewayApp.start(fixture.config(settings))) {
            Thread.sleep(3_000);
            List<ConsumerRecord<String, MetricBatch>> all = fixture.batches(topic, read -> false, Duration.ofSeconds(3));
            assertThat(rows(all)).hasSize(1);
            assertThat(fixture.deadLetters(otlpTopic, 2, Duration.ofSeconds(3))).hasSize(1);
        }
    }

    private static List<Sample> rows(List<ConsumerRecord<String, MetricBatch>> records) {
        return records.stream().flatMap(record -> record.value().getSamples().stream())
                .filter(sample -> sample.getName().toString().equals("etl.rows")).toList();
    }
}
