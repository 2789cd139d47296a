package dev.vigil.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.RefusedPoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The publisher's admission and transaction logic against Kafka's own {@code MockProducer}; the real broker is in the ITs. */
class BatchPublisherTest {

    private static final long SECOND = 1_000_000_000L;
    private static final EncodedBatch.Writer BYTES = (topic, batch) -> batch.hostId().getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);

    private BatchPublisher publisher(MockProducer<String, byte[]> producer, int maxInFlight, Duration timeout) {
        return new BatchPublisher(new BatchAssembler(100, 100, Duration.ofMinutes(1)), metrics, "vigil.metrics", BYTES, n -> producer,
                1, maxInFlight, timeout, Duration.ofSeconds(7), Clock.systemUTC());
    }

    private static MockProducer<String, byte[]> producer(boolean autoComplete) {
        MockProducer<String, byte[]> producer = new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static MappedRequest request(String... hosts) {
        return new MappedRequest(java.util.Arrays.stream(hosts).map(host -> Point.gauge(host, "cpu.load", Map.of(), "1", SECOND, 1)).toList(),
                List.of(new RefusedPoints(RefusalReason.NO_HOST, 2, "no host.name")));
    }

    @Test
    void shouldPublishEveryHostsBatchInOneCommittedTransactionKeyedByHost() {
        MockProducer<String, byte[]> producer = producer(true);

        Admission admission = publisher(producer, 4, Duration.ofSeconds(1)).publish("otlp_http", request("web-01", "web-02"));

        assertThat(admission).isInstanceOfSatisfying(Admission.Accepted.class, accepted -> {
            assertThat(accepted.acceptedPoints()).isEqualTo(2);
            assertThat(accepted.refusedPoints()).isEqualTo(2);
        });
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.history()).extracting(record -> record.key()).containsExactly("web-01", "web-02");
        assertThat(registry.counter("vigil.gateway.points.accepted", "protocol", "otlp_http").count()).isEqualTo(2);
        assertThat(registry.counter("vigil.gateway.points.refused", "protocol", "otlp_http", "reason", "no_host").count()).isEqualTo(2);
    }

    @Test
    void shouldCompressWithSnappyUnlessTheSettingsChooseAndZstdAtLevelOneWhenChosen() {
        Map<String, Object> defaults = new java.util.HashMap<>();
        BatchPublisher.putCompressionDefaults(defaults);
        Map<String, Object> zstd = new java.util.HashMap<>(Map.of("compression.type", "zstd"));
        BatchPublisher.putCompressionDefaults(zstd);
        Map<String, Object> chosen = new java.util.HashMap<>(Map.of("compression.type", "zstd", "compression.zstd.level", 3));
        BatchPublisher.putCompressionDefaults(chosen);

        assertThat(defaults).containsEntry("compression.type", "snappy");
        assertThat(zstd).containsEntry("compression.type", "zstd").containsEntry("compression.zstd.level", 1);
        assertThat(chosen).containsEntry("compression.zstd.level", 3);
    }

    @Test
    void shouldAbortAndPublishNothingWhenKafkaFailsTheTransaction() {
        MockProducer<String, byte[]> producer = producer(true);
        producer.commitTransactionException = new KafkaException("broker said no");

        Admission admission = publisher(producer, 4, Duration.ofSeconds(1)).publish("otlp_http", request("web-01", "web-02"));

        assertThat(admission).isInstanceOf(Admission.Unavailable.class);
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.history()).as("aborted sends are dropped").isEmpty();
        assertThat(registry.counter("vigil.gateway.points.refused", "protocol", "otlp_http", "reason", "unavailable").count()).isEqualTo(4);
    }

    @Test
    void shouldAnswerOverloadedAtOnceWhenTooManyRequestsAreInFlight() throws Exception {
        MockProducer<String, byte[]> producer = producer(true);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchPublisher publisher = new BatchPublisher(new BatchAssembler(100, 100, Duration.ofMinutes(1)), metrics, "vigil.metrics",
                (topic, batch) -> {
                    holding.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new byte[0];
                }, n -> producer, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(7), Clock.systemUTC());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Admission> first = executor.submit(() -> publisher.publish("otlp_grpc", request("web-01")));
            holding.await(5, TimeUnit.SECONDS);

            Admission second = publisher.publish("otlp_grpc", request("web-02"));
            release.countDown();

            assertThat(second).isInstanceOfSatisfying(Admission.Overloaded.class,
                    overloaded -> assertThat(overloaded.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
            assertThat(first.get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Accepted.class);
            assertThat(producer.history()).extracting(record -> record.key()).containsExactly("web-01");
            assertThat(registry.counter("vigil.gateway.requests.refused", "protocol", "otlp_grpc", "reason", "overloaded").count()).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }
}
