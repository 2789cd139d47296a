package dev.vigil.gateway.prometheus;

import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.batchesOf;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.series;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.avro.MetricBatch;
import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/**
 * Stopping a busy gateway on the local stack's Kafka: the requests under way are answered, every one answered 204 is
 * on {@code vigil.metrics} exactly once, and no transaction of the gateway's is left open. An open one would hide
 * everything after it on its partitions from every {@code read_committed} reader (the streams application) until the
 * broker timed it out, a minute later.
 */
@ExtendWith(LocalStackExtension.class)
class GatewayShutdownIT {

    private static final int WRITERS = 4;

    @Test
    void shouldAnswerTheRequestsUnderWayAndLeaveNoTransactionOpenWhenStoppedUnderLoad(StackEndpoints stack) throws Exception {
        try (PrometheusGatewayFixture fixture = new PrometheusGatewayFixture(stack, "gateway-shutdown", Map.of())) {
            String host = "shutdown-" + fixture.run();
            TopicReader<String, MetricBatch> reader = fixture.metricsReader();
            Set<Long> accepted = ConcurrentHashMap.newKeySet();
            Set<Long> unanswered = ConcurrentHashMap.newKeySet();
            AtomicLong sequence = new AtomicLong();
            long base = System.currentTimeMillis();
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                Map<String, String> labels = Map.of("instance", host + ":9100", "writer", Integer.toString(w));
                writers.submit(() -> {
                    while (true) {
                        long n = sequence.incrementAndGet(); // the sample's value and its millisecond past base: unique
                        try {
                            int status = fixture.write(WriteRequest.newBuilder().addTimeseries(series("it_shutdown", labels, n, base + n)).build())
                                    .statusCode();
                            if (status == 204) {
                                accepted.add(n);
                            } else if (status != 429 && status != 503) {
                                throw new AssertionError("request " + n + " answered " + status);
                            }
                        } catch (IOException e) {
                            unanswered.add(n); // refused at the door once stopping, or never connected
                            return null;
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (accepted.size() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(accepted).as("the gateway took load before it was stopped").hasSizeGreaterThanOrEqualTo(100);

            fixture.stopGateway();
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).as("every writer saw the gateway go").isTrue();

            assertThat(openGatewayTransactions(stack)).as("no gateway transaction left open (this gateway's or any before it in this JVM)")
                    .isEmpty();
            List<ConsumerRecord<String, MetricBatch>> records = reader.readUntil(
                    read -> values(batchesOf(read, host)).containsAll(accepted), Duration.ofSeconds(30), Duration.ofSeconds(2));
            List<Long> landed = values(batchesOf(records, host));
            System.out.printf("GatewayShutdownIT: %d answered 204, %d unanswered, %d landed%n", accepted.size(), unanswered.size(),
                    landed.size());
            assertThat(landed).as("no request twice").doesNotHaveDuplicates();
            assertThat(landed).as("every request answered 204").containsAll(accepted);
            assertThat(accepted).as("and only those, or one whose answer was lost").containsAll(landed.stream()
                    .filter(n -> !unanswered.contains(n)).toList());
        }
    }

    /** The values of the test's samples in {@code batches}, in the order they landed. */
    private static List<Long> values(List<MetricBatch> batches) {
        List<Long> values = new ArrayList<>();
        batches.forEach(batch -> batch.getSamples().forEach(sample -> values.add((long) sample.getValue())));
        return values;
    }

    /** Ongoing transactions of any gateway producer ({@code vigil-gateway-...}), as the broker lists them. */
    private static List<String> openGatewayTransactions(StackEndpoints stack) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING))).all()
                    .get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith("vigil-gateway-")).toList();
        }
    }
}
