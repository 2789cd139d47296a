package dev.vigil.gateway.prometheus;

import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.batchesOf;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.labels;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.series;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.sumOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.NodeExporterServer;
import dev.vigil.stack.PrometheusServer;
import dev.vigil.stack.StackEndpoints;

/**
 * Back-pressure with a real sender: the gateway publishes one request at a time ({@code publish.max.in.flight=1},
 * one producer) while three writers of this test keep it busy, so Debian's Prometheus 2.42, remote-writing a
 * node_exporter with four shards, is answered 429 + {@code Retry-After: 1} again and again. With
 * {@code retry_on_http_429: true} it retries; in the end every sample its own TSDB holds for a known series is on
 * {@code vigil.metrics} exactly once (no gap, no duplicate timestamp), and Prometheus itself counts retries and no
 * failed samples.
 */
@ExtendWith(LocalStackExtension.class)
class RemoteWriteBackPressureIT {

    private static final String HOST = "127.0.0.1";
    private static final String MEMORY = "node_memory_MemAvailable_bytes";
    private static final String CPU = "node_cpu_seconds_total";
    private static final Duration LOAD = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldDeliverEverySampleOfPrometheusExactlyOnceThroughItsRetriesOf429(StackEndpoints stack) throws Exception {
        NodeExporterServer node = new NodeExporterServer(stack.workDir().resolve("remote-write-back-pressure-it"));
        node.start();
        try (PrometheusGatewayFixture fixture = new PrometheusGatewayFixture(stack, "remote-write-back-pressure",
                Map.of("publish.max.in.flight", "1", "publish.producers", "1"))) {
            node.awaitReady();
            String job = "node-bp-" + fixture.run();
            PrometheusServer prometheus = PrometheusServer.withConfig(fixture.dir(), fixture.prometheusYaml(job, node.target(),
                    "retry_on_http_429: true", "min_shards: 4", "max_shards: 4", "max_samples_per_send: 50",
                    "batch_send_deadline: 500ms", "min_backoff: 50ms", "max_backoff: 1s"));
            prometheus.start();
            try {
                prometheus.awaitReady();
                Load load = new Load(fixture);
                load.run(LOAD);
                long cutoff = System.currentTimeMillis() - 2_000;

                List<Long> stored = new ArrayList<>(storedTimestamps(prometheus, MEMORY + "{job=\"" + job + "\"}"));
                stored.removeIf(millis -> millis > cutoff);
                assertThat(stored).as("Prometheus' own samples of the series").hasSizeGreaterThanOrEqualTo(10);
                long started = System.nanoTime();
                long last = stored.get(stored.size() - 1);
                int[] scanned = {0}; // the topic holds the load's batches too: look at each record once, not at every poll
                List<ConsumerRecord<String, MetricBatch>> records = fixture.metricsReader().readUntil(read -> {
                    List<ConsumerRecord<String, MetricBatch>> fresh = read.subList(scanned[0], read.size());
                    scanned[0] = read.size();
                    return observed(batchesOf(fresh, HOST), MEMORY, job).contains(last);
                }, Duration.ofSeconds(45), Duration.ofSeconds(3));
                System.out.printf("RemoteWriteBackPressureIT: load %s (%d answered 204, %d answered 429); caught up %.1f s after it%n",
                        LOAD, load.accepted.get(), load.overloaded.get(), (System.nanoTime() - started) / 1e9);
                List<MetricBatch> batches = batchesOf(records, HOST);

                List<Long> landed = observed(batches, MEMORY, job);
                assertThat(landed).as("no duplicate").doesNotHaveDuplicates();
                long first = landed.stream().mapToLong(Long::longValue).min().orElseThrow();
                List<Long> expected = stored.stream().filter(millis -> millis >= first).toList();
                assertThat(landed.stream().filter(millis -> millis <= cutoff).sorted().toList())
                        .as("every sample Prometheus stored since the first that landed, and nothing else").isEqualTo(expected);
                assertThat(expected).as("a run long enough to mean something").hasSizeGreaterThanOrEqualTo(8);
                List<Long> cpu = observed(batches, CPU, job);
                assertThat(cpu).as("cpu rates").isNotEmpty().doesNotHaveDuplicates();

                String prometheusMetrics = get(prometheus.url() + "/metrics");
                assertThat(sumOf(prometheusMetrics, "prometheus_remote_storage_samples_retried_total"))
                        .as("Prometheus was answered 429 and retried").isPositive();
                assertThat(sumOf(prometheusMetrics, "prometheus_remote_storage_samples_failed_total")).as("and dropped nothing").isZero();
                assertThat(fixture.gatewayMetric("vigil_gateway_requests_refused_total", "protocol", RemoteWriteProtocol.PROTOCOL,
                        "reason", "overloaded")).isPositive();
                assertThat(load.overloaded.get()).as("the test's own writers were pushed back too").isPositive();
            } finally {
                prometheus.stop();
            }
        } finally {
            node.stop();
        }
    }

    /** The sample times of the series {@code name} (cpu: cpu 0, idle) of {@code job}, in the order they landed. */
    private static List<Long> observed(List<MetricBatch> batches, String name, String job) {
        List<Long> times = new ArrayList<>();
        for (MetricBatch batch : batches) {
            for (Sample sample : batch.getSamples()) {
                Map<String, String> labels = labels(sample);
                if (sample.getName().toString().equals(name) && job.equals(labels.get("job"))
                        && (!name.equals(CPU) || ("0".equals(labels.get("cpu")) && "idle".equals(labels.get("mode"))))) {
                    times.add(sample.getObservedAt().toEpochMilli());
                }
            }
        }
        return times;
    }

    /** What Prometheus' TSDB holds of {@code selector} over the last five minutes: its sample times, in millis. */
    private Set<Long> storedTimestamps(PrometheusServer prometheus, String selector) throws Exception {
        String query = URLEncoder.encode(selector + "[5m]", StandardCharsets.UTF_8);
        JsonNode answer = json.readTree(get(prometheus.url() + "/api/v1/query?query=" + query));
        JsonNode result = answer.path("data").path("result");
        assertThat(result.size()).as("one series: %s", answer).isEqualTo(1);
        Set<Long> times = new TreeSet<>();
        result.get(0).path("values").forEach(value -> times.add(Math.round(value.get(0).asDouble() * 1000)));
        return times;
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return response.body();
    }

    /** Three writers of 50 gauges of their own host each, as fast as the gateway answers. */
    private static final class Load {
        private final PrometheusGatewayFixture fixture;
        private final AtomicInteger accepted = new AtomicInteger();
        private final AtomicInteger overloaded = new AtomicInteger();

        Load(PrometheusGatewayFixture fixture) {
            this.fixture = fixture;
        }

        void run(Duration duration) throws InterruptedException {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(3);
            for (int w = 0; w < 3; w++) {
                String host = "load-" + w + "-" + fixture.run();
                writers.submit(() -> {
                    while (!stop.get()) {
                        WriteRequest.Builder request = WriteRequest.newBuilder();
                        long now = System.currentTimeMillis();
                        for (int s = 0; s < 50; s++) {
                            request.addTimeseries(series("it_load_gauge", Map.of("instance", host + ":9100", "n", Integer.toString(s)), s, now));
                        }
                        int status = fixture.write(request.build()).statusCode();
                        if (status == 204) {
                            accepted.incrementAndGet();
                        } else if (status == 429) {
                            overloaded.incrementAndGet();
                        } else {
                            throw new AssertionError("a load request answered " + status);
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(duration.toMillis());
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
