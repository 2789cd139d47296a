package dev.vigil.gateway.prometheus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.xerial.snappy.Snappy;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.GatewayApp;
import dev.vigil.gateway.GatewayConfig;
import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.gateway.prometheus.prompb.Types;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/**
 * One gateway for a Prometheus IT: started in this JVM on a free loopback port against the local stack, with an access
 * file holding a publisher and a viewer token; reads {@code vigil.metrics} (read_committed: the gateway writes in
 * transactions) and the gateway's own {@code /metrics}. Each test names its hosts and jobs with {@link #run()} so it
 * only sees its own batches on the shared topic.
 */
final class PrometheusGatewayFixture implements AutoCloseable {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Path dir;
    private final String publisherToken = Tokens.generate("prom-publisher");
    private final String viewerToken = Tokens.generate("prom-viewer");
    private final StackEndpoints stack;
    private final AvroSerdes serdes;
    private final GatewayApp gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private boolean stopped;

    /**
     * @param name     the test's name: its folder under the stack's work folder
     * @param settings the test's own gateway settings (publish bounds, a scrape file ...)
     */
    PrometheusGatewayFixture(StackEndpoints stack, String name, Map<String, String> settings) throws IOException {
        this.stack = stack;
        this.dir = Files.createDirectories(stack.workDir().resolve("gateway-it").resolve(name + "-" + run));
        ensureMetricsTopic(stack);
        Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: prom-publisher, principal: prometheus, roles: [publisher], sha256: %s}
                  - {id: prom-viewer, principal: grafana, roles: [viewer], sha256: %s}
                """.formatted(Tokens.sha256Hex(publisherToken), Tokens.sha256Hex(viewerToken)));
        Files.writeString(dir.resolve("publisher-token"), publisherToken);
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "http.host", "127.0.0.1",
                "http.port", "0",
                "otlp.grpc.port", "0", // not OTLP's 4317: another gateway on this machine (a second build) may hold it
                "http.access.file", dir.resolve("access.yaml").toString(),
                "retry.after", "1s"));
        values.putAll(settings);
        this.gateway = GatewayApp.start(GatewayConfig.from(ConfigSource.of(values)));
        this.serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
    }

    private static void ensureMetricsTopic(StackEndpoints stack) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(List.of(Topics.METRICS), Optional.empty(), (short) 1);
        }
    }

    /** A short random id of this test run, for host ids and job names (lower-case letters and digits). */
    String run() {
        return run;
    }

    Path dir() {
        return dir;
    }

    /** The file holding the publisher token, for Prometheus' {@code credentials_file}. */
    Path publisherTokenFile() {
        return dir.resolve("publisher-token");
    }

    String publisherToken() {
        return publisherToken;
    }

    String viewerToken() {
        return viewerToken;
    }

    GatewayApp gateway() {
        return gateway;
    }

    /** {@code http://127.0.0.1:PORT/api/v1/write}. */
    String writeUrl() {
        return gateway.httpUrl() + RemoteWriteProtocol.PATH;
    }

    int port() {
        String address = gateway.httpAddress();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /**
     * A scrape file in Prometheus' format: one job scraping {@code target} every second (the gateway's
     * {@code prometheus.scrape.file}, and the start of Prometheus' own configuration).
     */
    static String scrapeYaml(String job, String target) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(job, target);
    }

    /**
     * A whole {@code prometheus.yml}: {@link #scrapeYaml} plus remote write to this gateway with the publisher token
     * file and {@code queueConfig} (YAML lines of {@code queue_config}, no indentation).
     */
    String prometheusYaml(String job, String target, String... queueConfig) {
        StringBuilder yaml = new StringBuilder(scrapeYaml(job, target)).append("""
                remote_write:
                  - url: %s
                    authorization:
                      credentials_file: %s
                    queue_config:
                """.formatted(writeUrl(), publisherTokenFile()));
        for (String line : queueConfig) {
            yaml.append("      ").append(line).append('\n');
        }
        return yaml.toString();
    }

    /** A reader of {@code vigil.metrics} as the streams application reads it. */
    TopicReader<String, MetricBatch> metricsReader() {
        return TopicReader.of(stack.kafkaBootstrapServers(), Topics.METRICS.name(), IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                serdes.valueSerde(MetricBatch.class).deserializer());
    }

    /** The batches of host {@code hostId} among {@code records}, after checking each is keyed by its host. */
    static List<MetricBatch> batchesOf(List<ConsumerRecord<String, MetricBatch>> records, String hostId) {
        return records.stream().filter(record -> record.key().equals(hostId)).map(record -> {
            if (!record.value().getHostId().toString().equals(hostId)) {
                throw new AssertionError("a batch keyed " + hostId + " is about host " + record.value().getHostId());
            }
            return record.value();
        }).toList();
    }

    /** The samples of {@code batches} named {@code name} whose label {@code label} is {@code value}. */
    static List<Sample> samples(List<MetricBatch> batches, String name, String label, String value) {
        return batches.stream().flatMap(batch -> batch.getSamples().stream())
                .filter(sample -> sample.getName().toString().equals(name))
                .filter(sample -> value.equals(labels(sample).get(label)))
                .toList();
    }

    /** A sample's labels as plain strings (Avro gives {@code Utf8}). */
    static Map<String, String> labels(Sample sample) {
        Map<String, String> labels = new HashMap<>();
        sample.getLabels().forEach((key, value) -> labels.put(key.toString(), value.toString()));
        return labels;
    }

    /**
     * The sum of the gateway's {@code /metrics} lines of {@code name} that carry every {@code label="value"} of
     * {@code labels} (0 when there is none), read with the viewer token.
     */
    double gatewayMetric(String name, String... labels) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/metrics"))
                .header("Authorization", "Bearer " + viewerToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        return sumOf(response.body(), name, labels);
    }

    /** The sum of the exposition-text lines of {@code name} with every label of {@code labels} ({@code k, v, k, v ...}). */
    static double sumOf(String exposition, String name, String... labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
            }
        }
        return sum;
    }

    /** One series of a {@code WriteRequest}: {@code __name__} plus {@code labels}, and its samples (value, millis ...). */
    static Types.TimeSeries series(String name, Map<String, String> labels, double value, long timestampMillis) {
        Types.TimeSeries.Builder series = Types.TimeSeries.newBuilder()
                .addLabels(Types.Label.newBuilder().setName("__name__").setValue(name));
        labels.forEach((label, labelValue) -> series.addLabels(Types.Label.newBuilder().setName(label).setValue(labelValue)));
        return series.addSamples(Types.Sample.newBuilder().setValue(value).setTimestamp(timestampMillis)).build();
    }

    /** A remote-write 1.0 body: the request as a snappy block. */
    static byte[] snappy(WriteRequest request) throws IOException {
        return Snappy.compress(request.toByteArray());
    }

    /** POSTs {@code body} to {@code /api/v1/write} with these headers ({@code name, value, ...}); the answer. */
    HttpResponse<String> post(byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(writeUrl())).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a well-formed remote-write request (snappy protobuf) with the publisher token. */
    HttpResponse<String> write(WriteRequest request) throws IOException, InterruptedException {
        return post(snappy(request), "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
                "X-Prometheus-Remote-Write-Version", "0.1.0", "Authorization", "Bearer " + publisherToken);
    }

    /** A lower-case, file- and label-friendly version of a test name. */
    static String slug(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** Stops the gateway as its process would on SIGTERM, leaving the reader's registry client open; at most once. */
    void stopGateway() {
        if (!stopped) {
            stopped = true;
            gateway.close();
        }
    }

    @Override
    public void close() {
        try {
            stopGateway();
        } finally {
            serdes.close();
        }
    }
}
