package dev.vigil.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.GatewayApp;
import dev.vigil.gateway.GatewayFixture;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TestCertificates;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters, over HTTP/protobuf and over gRPC, pushing to a running gateway on
 * the local stack: gauges, a cumulative counter (its rate), a histogram, an SDK restart, a bad token; over gRPC also
 * with TLS (trusting a test CA, {@link TestCertificates}) and mutual TLS (a listed client certificate instead of a
 * token), with plain-text and untrusting clients refused. The batches are read back from Kafka, keyed by host.
 */
@ExtendWith(LocalStackExtension.class)
class OtlpSdkIT {

    @TempDir
    static Path keys;

    private static TestCertificates certificates;

    private static final AttributeKey<String> HOST = AttributeKey.stringKey("host.name");

    /** One SDK "process": a provider with a reader flushed by hand, exporting through {@code exporter}. */
    private record Sdk(SdkMeterProvider provider, LongCounter requests, DoubleGauge depth, DoubleHistogram latency) {

        static Sdk start(String host, MetricExporter exporter) {
            SdkMeterProvider provider = SdkMeterProvider.builder()
                    .setResource(Resource.create(Attributes.of(HOST, host, AttributeKey.stringKey("service.name"), "checkout")))
                    .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build()).build();
            Meter meter = provider.get("it");
            return new Sdk(provider, meter.counterBuilder("app.requests").setUnit("{request}").build(),
                    meter.gaugeBuilder("app.queue.depth").build(),
                    meter.histogramBuilder("app.latency").setUnit("ms").setExplicitBucketBoundariesAdvice(List.of(10.0, 20.0, 50.0, 100.0)).build());
        }

        boolean flush() {
            return provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess();
        }

        /** Whether a provider with something to export gets it accepted. */
        static boolean exports(String host, MetricExporter exporter) {
            Sdk sdk = start(host, exporter);
            sdk.requests().add(1);
            boolean accepted = sdk.flush();
            sdk.provider().shutdown().join(10, TimeUnit.SECONDS);
            return accepted;
        }
    }

    @BeforeAll
    static void makeCertificates() {
        certificates = TestCertificates.create(keys);
    }

    @Test
    void shouldTakeTheSdksHttpExportWithRatesHistogramsAndARestart(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String topic = "it.gateway.http." + UUID.randomUUID();
        GatewayFixture fixture = new GatewayFixture(stack, dir);
        fixture.createTopics(topic);
        try (GatewayApp gateway = GatewayApp.start(fixture.config(Map.of("topic", topic, "otlp.grpc.enabled", "false")))) {
            String url = gateway.httpUrl() + "/v1/metrics";
            Function<String, MetricExporter> exporter = token -> OtlpHttpMetricExporter.builder().setEndpoint(url)
                    .addHeader("Authorization", "Bearer " + token).build();
            exercise(fixture, topic, "sdk-http-1", exporter, fixture.publisher);
            assertThat(Sdk.exports("sdk-http-1", exporter.apply(fixture.viewer))).as("a token without the publisher role").isFalse();
        }
    }

    @Test
    void shouldTakeTheSdksGrpcExportAndRefuseABadToken(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String topic = "it.gateway.grpc." + UUID.randomUUID();
        GatewayFixture fixture = new GatewayFixture(stack, dir);
        fixture.createTopics(topic);
        try (GatewayApp gateway = GatewayApp.start(fixture.config(Map.of("topic", topic)))) {
            String endpoint = gateway.addresses().get("OTLP/gRPC");
            Function<String, MetricExporter> exporter = token -> OtlpGrpcMetricExporter.builder().setEndpoint(endpoint)
                    .addHeader("authorization", "Bearer " + token).build();
            exercise(fixture, topic, "sdk-grpc-1", exporter, fixture.publisher);

            assertThat(Sdk.exports("sdk-grpc-1", exporter.apply("vigil_nobody_0000"))).as("an unknown token").isFalse();
            assertThat(Sdk.exports("sdk-grpc-1", exporter.apply(fixture.viewer))).as("a token without the publisher role").isFalse();
            assertThat(gateway.metrics().counter("vigil.gateway.requests.refused", "protocol", "otlp_grpc", "reason", "unauthenticated").count())
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shouldTakeTheSdksGrpcExportOverTlsTrustingTheTestCaAndRefusePlainText(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String topic = "it.gateway.grpc-tls." + UUID.randomUUID();
        GatewayFixture fixture = new GatewayFixture(stack, dir);
        fixture.createTopics(topic);
        byte[] caPem = Files.readAllBytes(certificates.caPem());
        try (GatewayApp gateway = GatewayApp.start(fixture.tlsConfig(Map.of("topic", topic), certificates, "none", "collector-1"))) {
            String endpoint = gateway.addresses().get("OTLP/gRPC");
            assertThat(endpoint).as("the gRPC port serves the HTTP server's TLS").startsWith("https://127.0.0.1:");
            assertThat(gateway.httpUrl()).startsWith("https://");
            Function<String, MetricExporter> exporter = token -> OtlpGrpcMetricExporter.builder().setEndpoint(endpoint)
                    .setTrustedCertificates(caPem).addHeader("authorization", "Bearer " + token).build();

            exercise(fixture, topic, "sdk-grpc-tls-1", exporter, fixture.publisher);

            MetricExporter plainText = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint.replace("https://", "http://"))
                    .addHeader("authorization", "Bearer " + fixture.publisher).setTimeout(Duration.ofSeconds(5)).build();
            assertThat(Sdk.exports("sdk-grpc-plain-1", plainText)).as("a plain-text client of a TLS port").isFalse();
            MetricExporter untrusting = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint)
                    .addHeader("authorization", "Bearer " + fixture.publisher).setTimeout(Duration.ofSeconds(5)).build();
            assertThat(Sdk.exports("sdk-grpc-untrusting-1", untrusting)).as("a client that does not trust the test CA").isFalse();
        }
        assertThat(hosts(fixture.batches(topic, read -> hosts(read).contains("sdk-grpc-tls-1"), Duration.ofSeconds(30))))
                .as("nothing of the refused clients reached Kafka").containsOnly("sdk-grpc-tls-1");
    }

    @Test
    void shouldAuthenticateTheSdkByAListedClientCertificateWhenCertificatesAreNeeded(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String topic = "it.gateway.grpc-mtls." + UUID.randomUUID();
        GatewayFixture fixture = new GatewayFixture(stack, dir);
        fixture.createTopics(topic);
        try (GatewayApp gateway = GatewayApp.start(fixture.tlsConfig(Map.of("topic", topic), certificates, "need", "collector-1"))) {
            String endpoint = gateway.addresses().get("OTLP/gRPC");
            MetricExporter listed = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint)
                    .setSslContext(certificates.sslContext(certificates.clientKeyStore("collector-1")), certificates.trustManager()).build();
            MetricExporter stranger = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).setTimeout(Duration.ofSeconds(5))
                    .setSslContext(certificates.sslContext(certificates.clientKeyStore("stranger")), certificates.trustManager()).build();
            MetricExporter tokenOnly = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).setTimeout(Duration.ofSeconds(5))
                    .setTrustedCertificates(Files.readAllBytes(certificates.caPem())).addHeader("authorization", "Bearer " + fixture.publisher).build();

            Supplier<Double> refusals = () -> gateway.metrics().counter("vigil.gateway.requests.refused", "protocol", "otlp_grpc", "reason",
                    "unauthenticated").count();
            assertThat(Sdk.exports("sdk-grpc-mtls-1", listed)).as("a certificate the access file lists, no token").isTrue();
            assertThat(Sdk.exports("sdk-grpc-mtls-2", stranger)).as("a CA-signed certificate the access file does not list").isFalse();
            double strangerRefusals = refusals.get();
            assertThat(strangerRefusals).as("the stranger got through the handshake and was refused by the access file").isPositive();
            assertThat(Sdk.exports("sdk-grpc-mtls-3", tokenOnly)).as("a token without a certificate, when certificates are needed").isFalse();
            assertThat(refusals.get()).as("the token-only client never got past the handshake").isEqualTo(strangerRefusals);

            List<ConsumerRecord<String, MetricBatch>> records = fixture.batches(topic, read -> hosts(read).contains("sdk-grpc-mtls-1"),
                    Duration.ofSeconds(30));
            assertThat(hosts(records)).as("the listed certificate's export only").containsOnly("sdk-grpc-mtls-1");
            assertThat(samples(records, "app.requests")).as("its counter's rate, from the export at shutdown").isNotEmpty();
            assertThat(records).allSatisfy(record -> assertThat(record.value().getHostId().toString()).isEqualTo("sdk-grpc-mtls-1"));
        }
    }

    private static java.util.Set<String> hosts(List<ConsumerRecord<String, MetricBatch>> records) {
        return records.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet());
    }

    private static void exercise(GatewayFixture fixture, String topic, String host, Function<String, MetricExporter> exporter, String token)
            throws Exception {
        Sdk first = Sdk.start(host, exporter.apply(token));
        first.requests().add(100);
        first.depth().set(7);
        first.latency().record(5);
        first.latency().record(15);
        long before1 = System.nanoTime();
        assertThat(first.flush()).isTrue();
        long after1 = System.nanoTime();
        Thread.sleep(1_000);
        first.requests().add(50);
        first.depth().set(9);
        for (int i = 0; i < 10; i++) {
            first.latency().record(30);
        }
        long before2 = System.nanoTime();
        assertThat(first.flush()).isTrue();
        long after2 = System.nanoTime();
        first.provider().close();

        // The SDK restarts: a new provider, its counter from 0, a new start time.
        Sdk second = Sdk.start(host, exporter.apply(token));
        second.requests().add(3);
        assertThat(second.flush()).isTrue();
        Thread.sleep(500);
        second.requests().add(3);
        assertThat(second.flush()).isTrue();
        second.provider().close();

        List<ConsumerRecord<String, MetricBatch>> records = fixture.batches(topic,
                read -> samples(read, "app.requests").size() >= 4, Duration.ofSeconds(30));
        assertThat(records).isNotEmpty().allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(host);
            assertThat(record.value().getHostId().toString()).isEqualTo(host);
        });
        // Each provider exports once more as it closes: the gauge again, a rate of 0 for the unchanged counter.
        assertThat(samples(records, "app.queue.depth")).extracting(Sample::getValue).containsExactly(7.0, 9.0, 9.0);
        List<Sample> rates = samples(records, "app.requests");
        assertThat(rates).as("per provider: no rate for its first point (after the restart too), then one, then 0 at close").hasSize(4);
        assertThat(rates).allSatisfy(rate -> {
            assertThat(rate.getKind()).isEqualTo(MetricKind.COUNTER);
            assertThat(rate.getUnit().toString()).isEqualTo("{request}/s");
            assertThat(rate.getValue()).as("never negative nor a spike across the restart").isBetween(0.0, 60.0);
        });
        assertThat(rates.get(1).getValue()).isZero();
        assertThat(rates.get(2).getValue()).as("3 requests in about half a second after the restart").isBetween(0.5, 30.0);
        double slowest = 50 / ((after2 - before1) / 1e9);
        double fastest = 50 / ((before2 - after1) / 1e9);
        assertThat(rates.get(0).getValue()).as("50 requests over the SDK's interval").isBetween(slowest, fastest);
        assertThat(rates.get(0).getLabels()).containsEntry("service.name", "checkout").doesNotContainKey("host.name");
        assertThat(samples(records, "app.latency_count")).isNotEmpty().allSatisfy(count -> assertThat(count.getKind()).isEqualTo(MetricKind.COUNTER));
        assertThat(samples(records, "app.latency_mean")).singleElement().extracting(Sample::getValue).isEqualTo(30.0);
        assertThat(samples(records, "app.latency_p50")).singleElement().extracting(Sample::getValue)
                .satisfies(p50 -> assertThat(p50).isBetween(20.0, 50.0));
    }

    private static List<Sample> samples(List<ConsumerRecord<String, MetricBatch>> records, String name) {
        return records.stream().flatMap(record -> record.value().getSamples().stream())
                .filter(sample -> sample.getName().toString().equals(name)).toList();
    }
}
