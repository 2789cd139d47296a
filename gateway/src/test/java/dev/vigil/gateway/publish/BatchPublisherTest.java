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
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.RefusedPoints;
import io.micrometer.core.instrument.DistributionSummary;
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
        try (HeldTransaction held = new HeldTransaction(Duration.ofSeconds(1), 1)) {
            Admission second = held.publisher.publish("otlp_grpc", request("web-02"));
            held.release.countDown();

            assertThat(second).isInstanceOfSatisfying(Admission.Overloaded.class,
                    overloaded -> assertThat(overloaded.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
            assertThat(held.first.get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Accepted.class);
            assertThat(held.producer.history()).extracting(record -> record.key()).containsExactly("web-01");
            assertThat(registry.counter("vigil.gateway.requests.refused", "protocol", "otlp_grpc", "reason", "overloaded").count()).isEqualTo(1);
        }
    }

    /**
     * A publisher of one producer and {@code maxInFlight} requests whose first transaction, for {@code web-01}, is held
     * open (its writer waits at the first batch) until {@link #release}; later requests then wait for it.
     */
    private final class HeldTransaction implements AutoCloseable {
        final MockProducer<String, byte[]> producer = producer(true);
        final CountDownLatch release = new CountDownLatch(1);
        final ExecutorService executor = Executors.newFixedThreadPool(3);
        final BatchPublisher publisher;
        final Future<Admission> first;

        HeldTransaction(Duration timeout, int maxInFlight) throws InterruptedException {
            CountDownLatch holding = new CountDownLatch(1);
            AtomicBoolean firstBatch = new AtomicBoolean(true);
            EncodedBatch.Writer writer = (topic, batch) -> {
                if (firstBatch.getAndSet(false)) {
                    holding.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return BYTES.value(topic, batch);
            };
            publisher = new BatchPublisher(new BatchAssembler(100, 100, Duration.ofMinutes(1)), metrics, "vigil.metrics", writer,
                    n -> producer, 1, maxInFlight, timeout, Duration.ofSeconds(7), Clock.systemUTC());
            first = submit("web-01");
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        }

        Future<Admission> submit(String... hosts) {
            return executor.submit(() -> publisher.publish("otlp_http", request(hosts)));
        }

        /** Waits until {@code requests} wait for a transaction. */
        void awaitWaiting(int requests) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (waiting() < requests && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(waiting()).isEqualTo(requests);
        }

        double waiting() {
            return registry.get("vigil.gateway.publish.waiting").gauge().value();
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    @Test
    void shouldPublishTheRequestsThatWaitedForABusyProducerTogetherInItsNextTransaction() throws Exception {
        try (HeldTransaction held = new HeldTransaction(Duration.ofSeconds(5), 8)) {
            Future<Admission> second = held.submit("web-02");
            Future<Admission> third = held.submit("web-03", "web-04");
            held.awaitWaiting(2);

            held.release.countDown();

            for (Future<Admission> admission : List.of(held.first, second, third)) {
                assertThat(admission.get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Accepted.class);
            }
            assertThat(held.producer.commitCount()).as("one transaction for the first, one for the two that waited").isEqualTo(2);
            assertThat(held.producer.history()).extracting(record -> record.key()).hasSize(4).startsWith("web-01")
                    .containsExactlyInAnyOrder("web-01", "web-02", "web-03", "web-04");
            DistributionSummary perTransaction = registry.get("vigil.gateway.publish.transaction.requests").summary();
            assertThat(perTransaction.count()).isEqualTo(2);
            assertThat(perTransaction.max()).isEqualTo(2);
            assertThat(held.waiting()).isZero();
        }
    }

    @Test
    void shouldAnswerEveryRequestOfAFailedSharedTransactionUnavailableAndPublishNoneOfThem() throws Exception {
        try (HeldTransaction held = new HeldTransaction(Duration.ofSeconds(5), 8)) {
            Future<Admission> second = held.submit("web-02");
            Future<Admission> third = held.submit("web-03");
            held.awaitWaiting(2);

            held.producer.commitTransactionException = new KafkaException("broker said no");
            held.release.countDown();

            for (Future<Admission> admission : List.of(held.first, second, third)) {
                assertThat(admission.get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Unavailable.class);
            }
            assertThat(held.producer.history()).as("aborted sends are dropped").isEmpty();
            assertThat(registry.counter("vigil.gateway.points.refused", "protocol", "otlp_http", "reason", "unavailable").count())
                    .as("each request's own point and its two refused ones").isEqualTo(9);
        }
    }

    @Test
    void shouldAnswerOverloadedWhenNoProducerFreesInTimeAndNeverPublishTheRequestAfterwards() throws Exception {
        try (HeldTransaction held = new HeldTransaction(Duration.ofMillis(200), 8)) {
            Admission second = held.publisher.publish("otlp_http", request("web-02"));
            held.release.countDown();

            assertThat(second).isInstanceOfSatisfying(Admission.Overloaded.class,
                    overloaded -> assertThat(overloaded.message()).contains("no Kafka producer became free within 200 ms"));
            assertThat(held.first.get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Accepted.class);
            assertThat(held.producer.history()).extracting(record -> record.key()).containsExactly("web-01");
            assertThat(held.waiting()).isZero();
        }
    }

    @Test
    void shouldReplaceAFencedProducerAndAnswerUnavailableSoThatTheRetryIsPublished() {
        List<MockProducer<String, byte[]>> made = new java.util.ArrayList<>();
        BatchPublisher publisher = new BatchPublisher(new BatchAssembler(100, 100, Duration.ofMinutes(1)), metrics, "vigil.metrics", BYTES,
                n -> {
                    MockProducer<String, byte[]> producer = producer(true);
                    made.add(producer);
                    return producer;
                }, 1, 4, Duration.ofSeconds(1), Duration.ofSeconds(7), Clock.systemUTC());
        made.get(0).fenceProducer();

        Admission fenced = publisher.publish("otlp_http", request("web-01"));
        Admission retried = publisher.publish("otlp_http", request("web-01"));

        assertThat(fenced).isInstanceOf(Admission.Unavailable.class);
        assertThat(retried).isInstanceOf(Admission.Accepted.class);
        assertThat(made).hasSize(2);
        assertThat(made.get(0).closed()).isTrue();
        assertThat(made.get(1).history()).extracting(record -> record.key()).containsExactly("web-01");
    }

    /** A producer whose first {@code failures} commits throw what {@code failure} makes, as the real one's do when cut short. */
    private static MockProducer<String, byte[]> failingCommits(int failures, java.util.function.Supplier<RuntimeException> failure) {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            private int left = failures;

            @Override
            public synchronized void commitTransaction() {
                if (left-- > 0) {
                    throw failure.get();
                }
                super.commitTransaction();
            }
        };
        producer.initTransactions();
        return producer;
    }

    @Test
    void shouldFinishATransactionThatAnInterruptCutShortAndInterruptTheThreadAgainAfterwards() {
        // InterruptException sets the thread's flag, as when the gateway's executor is shut down mid-commit.
        MockProducer<String, byte[]> producer = failingCommits(1, () -> new InterruptException(new InterruptedException()));

        Admission admission = publisher(producer, 4, Duration.ofSeconds(1)).publish("otlp_http", request("web-01"));
        boolean interruptedAfter = Thread.interrupted();

        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        assertThat(producer.transactionCommitted()).as("committed on the second call, not left open").isTrue();
        assertThat(producer.history()).extracting(record -> record.key()).containsExactly("web-01");
        assertThat(interruptedAfter).as("the interrupt is held back, not lost").isTrue();
    }

    @Test
    void shouldCommitAgainWhenACommitTimesOutAndReplaceTheProducerWhenKafkaNeverConfirms() {
        MockProducer<String, byte[]> once = failingCommits(1, () -> new TimeoutException("commit timed out"));
        List<MockProducer<String, byte[]>> made = new java.util.ArrayList<>(List.of(failingCommits(BatchPublisher.COMMIT_ATTEMPTS,
                () -> new TimeoutException("commit timed out"))));
        BatchPublisher never = new BatchPublisher(new BatchAssembler(100, 100, Duration.ofMinutes(1)), metrics, "vigil.metrics", BYTES,
                n -> n == 0 ? made.get(0) : add(made, producer(true)), 1, 4, Duration.ofSeconds(1), Duration.ofSeconds(7), Clock.systemUTC());

        Admission retried = publisher(once, 4, Duration.ofSeconds(1)).publish("otlp_http", request("web-01"));
        Admission unconfirmed = never.publish("otlp_http", request("web-02"));

        assertThat(retried).isInstanceOf(Admission.Accepted.class);
        assertThat(once.transactionCommitted()).isTrue();
        assertThat(unconfirmed).isInstanceOfSatisfying(Admission.Unavailable.class,
                unavailable -> assertThat(unavailable.message()).contains("may have been published"));
        assertThat(made).hasSize(2);
        assertThat(made.get(0).closed()).as("closed, never aborted: Kafka allows only a commit after one timed out").isTrue();
        assertThat(made.get(0).transactionAborted()).isFalse();
    }

    private static <T> T add(List<T> list, T element) {
        list.add(element);
        return element;
    }

    @Test
    void shouldWaitOnCloseForATransactionUnderWayAndCloseItsProducerOnceItIsCommitted() throws Exception {
        try (HeldTransaction held = new HeldTransaction(Duration.ofSeconds(5), 8)) {
            Future<?> closing = held.executor.submit(held.publisher::close);
            Thread.sleep(100);
            assertThat(closing).as("close waits for the transaction").isNotDone();

            held.release.countDown();

            closing.get(5, TimeUnit.SECONDS);
            assertThat(held.first.get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Accepted.class);
            assertThat(held.producer.transactionCommitted()).isTrue();
            assertThat(held.producer.closed()).isTrue();
        }
    }
}
