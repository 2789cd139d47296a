package dev.vigil.gateway.prometheus;

import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.batchesOf;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.labels;
import static dev.vigil.gateway.prometheus.PrometheusGatewayFixture.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.NodeExporterServer;
import dev.vigil.stack.PrometheusServer;
import dev.vigil.stack.StackEndpoints;

/**
 * The reference setup with real peers: Debian's node_exporter 1.5.0, scraped every second by Debian's
 * Prometheus 2.42, which remote-writes to the gateway with a publisher token from a {@code credentials_file}; and the
 * same node_exporter scraped by the gateway itself. Both land on {@code vigil.metrics} as batches of the same host
 * ({@code instance} with its port stripped: {@code 127.0.0.1}), with the same series names and labels. The two paths
 * are told apart by their {@code job} label only (each its own job name): with one job they would be one series, and
 * two writers of one cumulative series interleaving would turn every other interval into a "reset".
 */
@ExtendWith(LocalStackExtension.class)
class PrometheusIngestIT {

    private static final String HOST = "127.0.0.1";
    private static final String CPU = "node_cpu_seconds_total";
    private static final String MEMORY = "node_memory_MemAvailable_bytes";

    @Test
    void shouldLandPrometheusRemoteWriteAndTheGatewaysOwnScrapeOfOneNodeExporterAsTheSameSeries(StackEndpoints stack) throws Exception {
        NodeExporterServer node = new NodeExporterServer(stack.workDir().resolve("prometheus-ingest-it"));
        node.start();
        try {
            node.awaitReady();
            String run = java.util.UUID.randomUUID().toString().substring(0, 8); // the topic may hold an earlier run's batches
            String gatewayJob = "node-gateway-" + run;
            String prometheusJob = "node-prometheus-" + run;
            java.nio.file.Path scrapeFile = Files.createDirectories(stack.workDir().resolve("prometheus-ingest-it")).resolve("scrape.yml");
            Files.writeString(scrapeFile, PrometheusGatewayFixture.scrapeYaml(gatewayJob, node.target()));
            try (PrometheusGatewayFixture fixture = new PrometheusGatewayFixture(stack, "prometheus-ingest",
                    Map.of("prometheus.scrape.file", scrapeFile.toString()))) {
                PrometheusServer prometheus = PrometheusServer.withConfig(fixture.dir(), fixture.prometheusYaml(prometheusJob, node.target(),
                        "batch_send_deadline: 1s", "min_backoff: 100ms", "max_backoff: 1s", "retry_on_http_429: true"));
                prometheus.start();
                try {
                    prometheus.awaitReady();
                    long started = System.nanoTime();
                    // Three rates of one CPU series from each path: four scrapes landed by both.
                    Predicate<List<ConsumerRecord<String, MetricBatch>>> bothThere = records -> {
                        List<MetricBatch> batches = batchesOf(records, HOST);
                        return rates(batches, prometheusJob).size() >= 3 && rates(batches, gatewayJob).size() >= 3;
                    };
                    List<ConsumerRecord<String, MetricBatch>> records = fixture.metricsReader()
                            .readUntil(bothThere, Duration.ofSeconds(60), Duration.ZERO);
                    System.out.printf("PrometheusIngestIT: both paths landed after %.1f s%n", (System.nanoTime() - started) / 1e9);
                    List<MetricBatch> batches = batchesOf(records, HOST);

                    assertThat(rates(batches, prometheusJob)).as("remote-written cpu rates (prometheus log %s)",
                            fixture.dir().resolve("prometheus/stdout.log")).hasSizeGreaterThanOrEqualTo(3);
                    assertThat(rates(batches, gatewayJob)).as("the gateway's own cpu rates").hasSizeGreaterThanOrEqualTo(3);

                    // Same series names on the ones that matter, with the same labels but for job.
                    Set<String> viaPrometheus = names(batches, prometheusJob);
                    Set<String> viaGateway = names(batches, gatewayJob);
                    assertThat(viaPrometheus).contains(CPU, MEMORY, "node_load1", "up", "scrape_duration_seconds");
                    assertThat(viaGateway).contains(CPU, MEMORY, "node_load1", "up", "scrape_duration_seconds");
                    assertThat(labelSets(batches, CPU, prometheusJob)).isNotEmpty().isEqualTo(labelSets(batches, CPU, gatewayJob));
                    assertThat(labelSets(batches, CPU, gatewayJob)).allSatisfy(set -> assertThat(set).contains("cpu=", "mode="));
                    assertThat(labelSets(batches, MEMORY, prometheusJob)).isEqualTo(labelSets(batches, MEMORY, gatewayJob))
                            .containsExactly("");

                    // Kinds, units and plausible values.
                    for (String job : List.of(prometheusJob, gatewayJob)) {
                        assertThat(samples(batches, CPU, "job", job)).allSatisfy(sample -> {
                            assertThat(sample.getKind()).isEqualTo(MetricKind.COUNTER);
                            assertThat(sample.getUnit().toString()).isEqualTo("1/s");
                            // CPU seconds per second of one CPU in one mode: 0..1, with some slack for jiffy rounding.
                            assertThat(sample.getValue()).isBetween(0.0, 1.2);
                        });
                        assertThat(samples(batches, MEMORY, "job", job)).allSatisfy(sample -> {
                            assertThat(sample.getKind()).isEqualTo(MetricKind.GAUGE);
                            assertThat(sample.getValue()).isPositive();
                        });
                        assertThat(samples(batches, "up", "job", job)).isNotEmpty()
                                .allSatisfy(sample -> assertThat(sample.getValue()).isEqualTo(1.0));
                    }
                    double memoryViaPrometheus = last(samples(batches, MEMORY, "job", prometheusJob));
                    double memoryViaGateway = last(samples(batches, MEMORY, "job", gatewayJob));
                    assertThat(memoryViaGateway).as("the same machine's available memory").isCloseTo(memoryViaPrometheus,
                            within(memoryViaPrometheus * 0.2));
                    assertThat(samples(batches, "scrape_duration_seconds", "job", gatewayJob)).isNotEmpty().allSatisfy(sample -> {
                        assertThat(sample.getKind()).isEqualTo(MetricKind.GAUGE);
                        assertThat(sample.getValue()).isPositive().isLessThan(1.0); // under the 1 s timeout
                    });
                    // Both protocols accounted for in the gateway's own metrics.
                    assertThat(fixture.gatewayMetric("vigil_gateway_points_accepted_total", "protocol", RemoteWriteProtocol.PROTOCOL))
                            .isPositive();
                    assertThat(fixture.gatewayMetric("vigil_gateway_points_accepted_total", "protocol", ScrapeProtocol.PROTOCOL))
                            .isPositive();
                    assertThat(fixture.gatewayMetric("vigil_gateway_requests_refused_total")).as("no request refused").isZero();
                    assertThat(fixture.gatewayMetric("vigil_gateway_remote_write_series_kept"))
                            .as("remote-write series kept to be found by their label bytes").isPositive();
                } finally {
                    prometheus.stop();
                }
            }
        } finally {
            node.stop();
        }
    }

    /** The cpu rate samples of one path. */
    private static List<Sample> rates(List<MetricBatch> batches, String job) {
        return samples(batches, CPU, "job", job).stream().filter(sample -> sample.getKind() == MetricKind.COUNTER).toList();
    }

    private static Set<String> names(List<MetricBatch> batches, String job) {
        return batches.stream().flatMap(batch -> batch.getSamples().stream())
                .filter(sample -> job.equals(labels(sample).get("job")))
                .map(sample -> sample.getName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The label sets of {@code name}'s series of one path, without {@code job}, each as {@code k=v,k=v}. */
    private static Set<String> labelSets(List<MetricBatch> batches, String name, String job) {
        return samples(batches, name, "job", job).stream().map(sample -> {
            Map<String, String> labels = new HashMap<>(labels(sample));
            labels.remove("job");
            return new java.util.TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        }).collect(Collectors.toCollection(TreeSet::new));
    }

    private static double last(List<Sample> samples) {
        assertThat(samples).isNotEmpty();
        return samples.get(samples.size() - 1).getValue();
    }
}
