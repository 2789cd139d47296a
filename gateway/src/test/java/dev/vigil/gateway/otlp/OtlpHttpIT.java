package dev.vigil.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.google.rpc.Status;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.GatewayApp;
import dev.vigil.gateway.GatewayFixture;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.RawHttp;
import dev.vigil.stack.StackEndpoints;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * OTLP/HTTP ({@code POST /v1/metrics}) with hand-made requests against a real gateway on the local stack's Kafka and
 * registry: protobuf, JSON and gzip bodies published; another content type or encoding 415, a malformed body 400, an
 * oversized body 413 (and a gzip body inflating beyond the limit 413, counted too large, nothing published); a request
 * with some bad points answered with an OTLP partial success while its good points are published. Every refusal is
 * checked on the wire, in the gateway's counters and on the topic.
 */
@ExtendWith(LocalStackExtension.class)
class OtlpHttpIT {

    /** The gateway's body limit here: small, so that 413 is cheap to reach. */
    private static final int LIMIT = 64 * 1024;
    private static final String PROTOCOL = OtlpHttpHandler.PROTOCOL;
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";

    private static final String TOPIC = "it.gateway.otlp-http." + UUID.randomUUID();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    static Path dir;

    private static GatewayFixture fixture;
    private static GatewayApp gateway;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startGateway(StackEndpoints stack) throws Exception {
        fixture = new GatewayFixture(stack, dir);
        fixture.createTopics(TOPIC);
        gateway = GatewayApp.start(fixture.config(Map.of("topic", TOPIC, "otlp.grpc.enabled", "false",
                "http.max.body.size", Integer.toString(LIMIT))));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldPublishAProtobufBodyAndAnswerInProtobuf() throws Exception {
        String host = "proto-" + RUN;
        double acceptedBefore = count("vigil.gateway.points.accepted", "protocol", PROTOCOL);

        HttpResponse<byte[]> response = post(gauges(host, 0.25).toByteArray(), PROTOBUF, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(PROTOBUF);
        assertThat(ExportMetricsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).as("every point taken").isFalse();
        assertThat(count("vigil.gateway.points.accepted", "protocol", PROTOCOL) - acceptedBefore).isEqualTo(1);
        assertThat(samplesOf(host)).singleElement().satisfies(sample -> {
            assertThat(sample.getName().toString()).isEqualTo("it.load");
            assertThat(sample.getValue()).isEqualTo(0.25);
            assertThat(sample.getKind()).isEqualTo(MetricKind.GAUGE);
        });
        assertThat(gateway.metrics().find("vigil.gateway.otlp.series.kept").gauge().value())
                .as("OTLP series kept to be found again by what they were mapped from").isPositive();
    }

    @Test
    void shouldPublishAJsonBodyAndAnswerInJson() throws Exception {
        String host = "json-" + RUN;
        // OTLP/JSON as the specification writes it: lowerCamelCase keys, a 64-bit integer as a string.
        String body = """
                {"resourceMetrics": [{
                  "resource": {"attributes": [{"key": "host.name", "value": {"stringValue": "%s"}}]},
                  "scopeMetrics": [{"metrics": [{"name": "it.load", "gauge": {"dataPoints": [
                    {"timeUnixNano": "%d", "asDouble": 0.75}
                  ]}}]}]
                }]}
                """.formatted(host, nowNanos());

        HttpResponse<byte[]> response = post(body.getBytes(StandardCharsets.UTF_8), JSON + "; charset=utf-8", null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(JSON);
        assertThat(text(response)).isEqualTo("{}");
        assertThat(samplesOf(host)).singleElement().extracting(Sample::getValue).isEqualTo(0.75);
    }

    @Test
    void shouldInflateAGzipBody() throws Exception {
        String host = "gzip-" + RUN;

        HttpResponse<byte[]> response = post(gzip(gauges(host, 3).toByteArray()), PROTOBUF, "gzip");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(samplesOf(host)).singleElement().extracting(Sample::getValue).isEqualTo(3.0);
    }

    @Test
    void shouldAnswer415ToAnotherContentTypeOrEncodingAndPublishNothing() throws Exception {
        String host = "media-" + RUN;
        byte[] good = gauges(host, 1).toByteArray();
        double before = count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "unsupported_media_type");

        HttpResponse<byte[]> textPlain = post(good, "text/plain", null);
        HttpResponse<byte[]> brotli = post(good, PROTOBUF, "br");

        assertThat(textPlain.statusCode()).isEqualTo(415);
        assertThat(Status.parseFrom(textPlain.body()).getMessage()).contains(PROTOBUF).contains(JSON);
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(Status.parseFrom(brotli.body()).getMessage()).contains("gzip");
        assertThat(count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "unsupported_media_type") - before).isEqualTo(2);
        assertThat(samplesOfAfterMarker(host)).as("nothing of a refused request").isEmpty();
    }

    @Test
    void shouldAnswer400ToAMalformedBody() throws Exception {
        double before = count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "malformed");

        // Field 1 (resource_metrics), length-delimited, with a length longer than what follows.
        HttpResponse<byte[]> protobuf = post(new byte[] {0x0a, 0x7f, 0x01}, PROTOBUF, null);
        HttpResponse<byte[]> json = post("{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8), JSON, null);
        HttpResponse<byte[]> gzip = post("not gzip at all".getBytes(StandardCharsets.UTF_8), PROTOBUF, "gzip");

        assertThat(protobuf.statusCode()).isEqualTo(400);
        assertThat(Status.parseFrom(protobuf.body()).getMessage()).contains("not an ExportMetricsServiceRequest");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.headers().firstValue("Content-Type")).as("a JSON request is answered in JSON").contains(JSON);
        assertThat(text(json)).contains("not an ExportMetricsServiceRequest");
        assertThat(gzip.statusCode()).isEqualTo(400);
        assertThat(Status.parseFrom(gzip.body()).getMessage()).contains("gzip");
        assertThat(count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "malformed") - before).isEqualTo(3);
    }

    @Test
    void shouldAnswer413ToAnOversizedBodyAndToAGzipBodyInflatingBeyondTheLimit() throws Exception {
        String bombHost = "bomb-" + RUN;
        byte[] incompressible = new byte[LIMIT + 1024];
        new Random(23).nextBytes(incompressible);
        // A valid request, small on the wire, eight times the limit once inflated.
        ExportMetricsServiceRequest bomb = gauges(bombHost, 1).toBuilder().setResourceMetrics(0, gauges(bombHost, 1).getResourceMetrics(0)
                .toBuilder().setResource(Resource.newBuilder().addAttributes(attribute("host.name", bombHost))
                        .addAttributes(attribute("pad", "a".repeat(8 * LIMIT))))).build();
        byte[] bombBody = gzip(bomb.toByteArray());
        assertThat(bombBody.length).isLessThan(LIMIT);
        double tooLargeBefore = count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "too_large");
        double malformedBefore = count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "malformed");
        double bodyTooLargeBefore = count("vigil.http.requests.refused", "reason", "body_too_large");

        // Raw: the shared server answers 413 from Content-Length and closes, which a JDK client may see as a reset mid-body.
        RawHttp.Answer tooLong = RawHttp.send(port(), RawHttp.Request.of("POST", "/v1/metrics", "Content-Type: " + PROTOBUF,
                "Authorization: Bearer " + fixture.publisher).withBody(incompressible, RawHttp.Framing.CONTENT_LENGTH));
        HttpResponse<byte[]> inflated = post(bombBody, PROTOBUF, "gzip");

        assertThat(tooLong.status()).isEqualTo(413);
        assertThat(count("vigil.http.requests.refused", "reason", "body_too_large") - bodyTooLargeBefore).isEqualTo(1);
        assertThat(inflated.statusCode()).isEqualTo(413);
        assertThat(Status.parseFrom(inflated.body()).getMessage()).contains("inflates beyond " + LIMIT);
        assertThat(count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "too_large") - tooLargeBefore)
                .as("a gzip bomb is too large, not malformed").isEqualTo(1);
        assertThat(count("vigil.gateway.requests.refused", "protocol", PROTOCOL, "reason", "malformed") - malformedBefore).isZero();
        assertThat(samplesOfAfterMarker(bombHost)).as("nothing of the bomb published").isEmpty();
    }

    @Test
    void shouldAnswerAPartialSuccessForRefusedPointsAndPublishTheGoodOnes() throws Exception {
        String host = "partial-" + RUN;
        long now = nowNanos();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(attribute("host.name", host)))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(gauge("it.good", NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsDouble(42)))
                                .addMetrics(gauge("it.refused.nan", NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsDouble(Double.NaN)))))
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(attribute("service.name", "nohost")))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(gauge("it.refused.nohost", NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsDouble(1)))))
                .build();
        double notFiniteBefore = count("vigil.gateway.points.refused", "protocol", PROTOCOL, "reason", "not_finite");
        double noHostBefore = count("vigil.gateway.points.refused", "protocol", PROTOCOL, "reason", "no_host");

        HttpResponse<byte[]> response = post(request.toByteArray(), PROTOBUF, null);

        assertThat(response.statusCode()).isEqualTo(200);
        ExportMetricsServiceResponse answer = ExportMetricsServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedDataPoints()).isEqualTo(2);
        assertThat(answer.getPartialSuccess().getErrorMessage()).contains("not_finite").contains("no_host");
        assertThat(count("vigil.gateway.points.refused", "protocol", PROTOCOL, "reason", "not_finite") - notFiniteBefore).isEqualTo(1);
        assertThat(count("vigil.gateway.points.refused", "protocol", PROTOCOL, "reason", "no_host") - noHostBefore).isEqualTo(1);
        // The good and the refused points were one request, published in one transaction: all that reached the topic is
        // there once the good point is.
        List<ConsumerRecord<String, MetricBatch>> records = fixture.batches(TOPIC, read -> !batchesOf(read, host).isEmpty(), Duration.ofSeconds(30));
        assertThat(allSamples(batchesOf(records, host))).singleElement().satisfies(sample -> {
            assertThat(sample.getName().toString()).isEqualTo("it.good");
            assertThat(sample.getValue()).isEqualTo(42.0);
        });
        assertThat(allSamples(records)).extracting(sample -> sample.getName().toString())
                .as("no refused point anywhere on the topic").noneMatch(name -> name.startsWith("it.refused."));
    }

    /** One gauge point {@code it.load} of host {@code host}. */
    private static ExportMetricsServiceRequest gauges(String host, double value) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("host.name", host)))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge("it.load",
                        NumberDataPoint.newBuilder().setTimeUnixNano(nowNanos()).setAsDouble(value)))))
                .build();
    }

    private static Metric gauge(String name, NumberDataPoint.Builder point) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(point)).build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private HttpResponse<byte[]> post(byte[] body, String contentType, String contentEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/v1/metrics")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + fixture.publisher)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static int port() {
        return URI.create(gateway.httpUrl()).getPort();
    }

    /** The samples of {@code host} on the topic, once its batch is there (or after 30 s). */
    private static List<Sample> samplesOf(String host) {
        return allSamples(batchesOf(fixture.batches(TOPIC, read -> !batchesOf(read, host).isEmpty(), Duration.ofSeconds(30)), host));
    }

    /**
     * The samples of {@code host} on the topic once a marker request published after it is there: what a refused request
     * of {@code host} would have published is on the topic by then.
     */
    private List<Sample> samplesOfAfterMarker(String host) throws Exception {
        String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(post(gauges(marker, 1).toByteArray(), PROTOBUF, null).statusCode()).isEqualTo(200);
        List<ConsumerRecord<String, MetricBatch>> records = fixture.batches(TOPIC, read -> !batchesOf(read, marker).isEmpty(), Duration.ofSeconds(30));
        assertThat(batchesOf(records, marker)).as("the marker arrived").isNotEmpty();
        return allSamples(batchesOf(records, host));
    }

    private static List<ConsumerRecord<String, MetricBatch>> batchesOf(List<ConsumerRecord<String, MetricBatch>> records, String host) {
        return records.stream().filter(record -> record.key().equals(host)).toList();
    }

    private static List<Sample> allSamples(List<ConsumerRecord<String, MetricBatch>> records) {
        return records.stream().flatMap(record -> record.value().getSamples().stream()).toList();
    }

    private static double count(String name, String... tags) {
        Counter counter = gateway.metrics().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
