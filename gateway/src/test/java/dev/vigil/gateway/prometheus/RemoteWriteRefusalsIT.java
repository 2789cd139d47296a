package dev.vigil.gateway.prometheus;

import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.batchesOf;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.series;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.snappy;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xerial.snappy.Snappy;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.RawHttp;
import dev.vigil.stack.StackEndpoints;

/**
 * Prometheus remote write's refusals, with raw requests built from the vendored {@code prompb} classes and snappy-java
 * against a real gateway on the local stack's Kafka and registry: each bad request gets its status and is counted
 * ({@code vigil_gateway_requests_refused_total} / {@code vigil_gateway_points_refused_total}), nothing of a refused
 * request or of refused samples reaches {@code vigil.metrics}, and a good request lands exactly once.
 */
@ExtendWith(LocalStackExtension.class)
class RemoteWriteRefusalsIT {

    /** The gateway's body limit here: small, so that 413 is cheap to reach. */
    private static final int LIMIT = 64 * 1024;
    private static final String PROTOCOL = RemoteWriteProtocol.PROTOCOL;

    private static PrometheusGatewayFixture fixture;

    @BeforeAll
    static void startGateway(StackEndpoints stack) throws Exception {
        fixture = new PrometheusGatewayFixture(stack, "remote-write-refusals", Map.of("http.max.body.size", Integer.toString(LIMIT)));
    }

    @AfterAll
    static void stopGateway() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldAnswer400ToABodyThatIsNotAWriteRequest() throws Exception {
        double before = requestsRefused("malformed");

        HttpResponse<String> garbage = post("garbage, not snappy".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> notProtobuf = post(Snappy.compress(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        HttpResponse<String> noName = post(snappy(WriteRequest.newBuilder()
                .addTimeseries(series("x", Map.of(), 1, 1).toBuilder().clearLabels()
                        .addLabels(dev.vigil.gateway.prometheus.prompb.Types.Label.newBuilder().setName("instance").setValue("h:1")))
                .build()));

        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        assertThat(garbage.body()).contains("snappy");
        assertThat(notProtobuf.statusCode()).as(notProtobuf.body()).isEqualTo(400);
        assertThat(notProtobuf.body()).contains("WriteRequest");
        assertThat(noName.statusCode()).as(noName.body()).isEqualTo(400);
        assertThat(noName.body()).contains("no __name__");
        assertThat(requestsRefused("malformed") - before).isEqualTo(3);
    }

    @Test
    void shouldAnswer415ToAnotherContentTypeOrEncoding() throws Exception {
        byte[] request = valid("media-" + fixture.run()).toByteArray();
        double before = requestsRefused("unsupported_media_type");

        HttpResponse<String> textPlain = fixture.post(Snappy.compress(request), "Content-Type", "text/plain", "Content-Encoding", "snappy",
                "Authorization", bearer());
        HttpResponse<String> noSnappy = fixture.post(request, "Content-Type", "application/x-protobuf", "Authorization", bearer());
        HttpResponse<String> gzip = fixture.post(request, "Content-Type", "application/x-protobuf", "Content-Encoding", "gzip",
                "Authorization", bearer());

        assertThat(List.of(textPlain.statusCode(), noSnappy.statusCode(), gzip.statusCode())).containsOnly(415);
        assertThat(textPlain.body()).contains("application/x-protobuf").contains("snappy");
        assertThat(requestsRefused("unsupported_media_type") - before).isEqualTo(3);
    }

    @Test
    void shouldAnswer401WithoutATokenAnd403ToAViewer() throws Exception {
        byte[] body = snappy(valid("auth-" + fixture.run()));

        HttpResponse<String> none = fixture.post(body, "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy");
        HttpResponse<String> viewer = fixture.post(body, "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
                "Authorization", "Bearer " + fixture.viewerToken());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(viewer.statusCode()).isEqualTo(403);
    }

    @Test
    void shouldAnswer413ToABodyOrARequestBeyondTheLimit() throws Exception {
        byte[] incompressible = new byte[LIMIT + 1024];
        new Random(19).nextBytes(incompressible);
        // Well under the limit on the wire, far beyond it once decompressed: refused from the block's header.
        WriteRequest bomb = WriteRequest.newBuilder()
                .addTimeseries(series("it_bomb", Map.of("instance", "bomb-" + fixture.run() + ":9100", "pad", "a".repeat(8 * LIMIT)), 1,
                        System.currentTimeMillis()))
                .build();
        byte[] bombBody = snappy(bomb);
        assertThat(bombBody.length).isLessThan(LIMIT);
        double before = requestsRefused("too_large");

        // Raw: the gateway answers 413 from Content-Length and closes, which a JDK client may see as a reset mid-body.
        RawHttp.Answer tooLong = RawHttp.send(fixture.port(), RawHttp.Request.of("POST", RemoteWriteProtocol.PATH,
                "Content-Type: application/x-protobuf", "Content-Encoding: snappy", "Authorization: " + bearer())
                .withBody(incompressible, RawHttp.Framing.CONTENT_LENGTH));
        HttpResponse<String> tooLarge = post(bombBody);

        assertThat(tooLong.status()).isEqualTo(413);
        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("decompresses to");
        assertThat(requestsRefused("too_large") - before).as("the decoder's 413 is counted too_large").isEqualTo(1);
        assertThat(requestsRefused("unsupported")).as("no longer counted unsupported").isZero();
    }

    @Test
    void shouldCountNotFiniteAndHostlessSamplesPublishNoneOfThemAndPublishAGoodRequestExactlyOnce() throws Exception {
        String host = "refusals-" + fixture.run();
        String refusedHost = "refused-" + fixture.run();
        String instance = host + ":9100";
        long now = System.currentTimeMillis();
        double notFiniteBefore = pointsRefused("not_finite");
        double noHostBefore = pointsRefused("no_host");
        double acceptedBefore = fixture.gatewayMetric("vigil_gateway_points_accepted_total", "protocol", PROTOCOL);

        HttpResponse<String> refusedSamples = fixture.write(WriteRequest.newBuilder()
                .addTimeseries(series("it_refused_nan", Map.of("instance", instance, "job", "refusals"), Double.NaN, now))
                .addTimeseries(series("it_refused_inf", Map.of("instance", instance, "job", "refusals"), Double.POSITIVE_INFINITY, now))
                .addTimeseries(series("it_refused_inf", Map.of("instance", instance, "job", "minus"), Double.NEGATIVE_INFINITY, now))
                .addTimeseries(series("it_refused_no_host", Map.of("job", "refusals-" + fixture.run()), 1, now))
                .build());
        // Whole requests refused for their form or their caller, each carrying a good sample of another host.
        byte[] good = valid(refusedHost).toByteArray();
        List<Integer> refusedWhole = List.of(
                fixture.post(Snappy.compress(good), "Content-Type", "text/plain", "Content-Encoding", "snappy", "Authorization", bearer()).statusCode(),
                fixture.post(good, "Content-Type", "application/x-protobuf", "Authorization", bearer()).statusCode(),
                fixture.post(Snappy.compress(good), "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy").statusCode(),
                fixture.post(Snappy.compress(good), "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
                        "Authorization", "Bearer " + fixture.viewerToken()).statusCode());
        HttpResponse<String> accepted = fixture.write(WriteRequest.newBuilder()
                .addTimeseries(series("it_valid_gauge", Map.of("instance", instance, "job", "refusals"), 42, now))
                .build());

        assertThat(refusedSamples.statusCode()).as("refused samples are counted, the request still 204: %s", refusedSamples.body())
                .isEqualTo(204);
        assertThat(refusedWhole).containsExactly(415, 415, 401, 403);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(204);
        assertThat(pointsRefused("not_finite") - notFiniteBefore).isEqualTo(3);
        assertThat(pointsRefused("no_host") - noHostBefore).isEqualTo(1);
        assertThat(fixture.gatewayMetric("vigil_gateway_points_accepted_total", "protocol", PROTOCOL) - acceptedBefore).isEqualTo(1);

        List<ConsumerRecord<String, MetricBatch>> records = fixture.metricsReader()
                .readUntil(read -> !batchesOf(read, host).isEmpty(), Duration.ofSeconds(30), Duration.ofSeconds(3));
        List<MetricBatch> batches = batchesOf(records, host);
        assertThat(batches).as("the good request, once").hasSize(1);
        assertThat(batches.get(0).getSamples()).singleElement().satisfies(sample -> {
            assertThat(sample.getName().toString()).isEqualTo("it_valid_gauge");
            assertThat(sample.getValue()).isEqualTo(42.0);
            assertThat(sample.getKind()).isEqualTo(MetricKind.GAUGE);
            assertThat(sample.getObservedAt().toEpochMilli()).isEqualTo(now);
            assertThat(PrometheusGatewayFixture.labels(sample)).isEqualTo(Map.of("job", "refusals"));
        });
        assertThat(batchesOf(records, refusedHost)).as("nothing of a refused request").isEmpty();
        List<String> names = records.stream().flatMap(record -> record.value().getSamples().stream())
                .map(Sample::getName).map(CharSequence::toString).toList();
        assertThat(names).as("no refused sample anywhere on the topic").noneMatch(name -> name.startsWith("it_refused_"));
    }

    /** A good request: one gauge of host {@code host}. */
    private static WriteRequest valid(String host) {
        return WriteRequest.newBuilder()
                .addTimeseries(series("it_good_gauge", Map.of("instance", host + ":9100", "job", "refusals"), 1, System.currentTimeMillis()))
                .build();
    }

    /** {@code body} with the right headers and the publisher's token. */
    private static HttpResponse<String> post(byte[] body) throws Exception {
        return fixture.post(body, "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy", "Authorization", bearer());
    }

    private static String bearer() {
        return "Bearer " + fixture.publisherToken();
    }

    private static double requestsRefused(String reason) throws Exception {
        return fixture.gatewayMetric("vigil_gateway_requests_refused_total", "protocol", PROTOCOL, "reason", reason);
    }

    private static double pointsRefused(String reason) throws Exception {
        return fixture.gatewayMetric("vigil_gateway_points_refused_total", "protocol", PROTOCOL, "reason", reason);
    }
}
