package dev.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.xerial.snappy.Snappy;

import dev.vigil.e2e.ProcessStats;
import dev.vigil.e2e.ServiceProcess;
import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.gateway.prometheus.prompb.Types;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.PrometheusServer;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackOptions;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * How much CPU the gateway spends per sample it takes in, beside Prometheus 2.42's own remote-write receiver
 * ({@code --web.enable-remote-write-receiver}) on the same writes. One fleet of node_exporter-like series (per host
 * ten families of five series each, half counters and half gauges, five labels) is sent round after round by
 * {@code senders} threads, each owning its hosts so every series' samples arrive in time order (Prometheus refuses
 * them otherwise), {@code hostsPerRequest} hosts of one sample per series per request (500 samples by default, the
 * {@code max_samples_per_send} of Prometheus 2.42; 40 hosts make the 2,000 that later Prometheus releases and Grafana
 * Alloy send). Every request is encoded before the clock starts.
 *
 * <p>Measured per receiver: the samples it acknowledged, the wall clock and the CPU of its process
 * ({@code /proc/PID/stat}); samples per CPU-second is the figure that does not depend on what else the machine runs
 * (this JVM sends the load and hosts the Kafka broker the gateway publishes to; neither is counted). The gateway
 * publishes every request in a Kafka transaction and answers once it is committed; Prometheus writes its head and
 * WAL. Overloaded answers (429, 503) are retried after 20 ms and counted.
 *
 * <p>{@code settings} are the gateway's ({@code key=value,...}, {@code -} for none); {@code secondSettings} start a second
 * gateway, sent the same remote writes in every round, to compare two settings on the same machine spell.
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.GatewayThroughput [hosts] [rounds] [runs] [senders] [hostsPerRequest] [settings] [secondSettings]</pre>
 */
public final class GatewayThroughput {

    /**
     * Unmeasured rounds before the measured ones. One was not enough: on 2 cores shared with the senders and the broker
     * the JIT's compiler threads lag, and the first measured round still paid for C2 (about 2 s of it in a profile) and
     * was the lowest of the session in most runs; a server's steady state is what is compared.
     */
    private static final int WARM_UP_ROUNDS = 2;
    private static final String PROMETHEUS = "Prometheus 2.42, remote write";
    private static final int FAMILIES = 10;
    private static final int SERIES_PER_FAMILY = 5;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private GatewayThroughput() {
    }

    /** A receiver the rounds send to: its name in the output, where, its process, and which encoding of the fleet. */
    private record Receiver(String name, URI target, long pid, boolean otlp) {
        Run send(Workload workload) throws Exception {
            return otlp ? GatewayThroughput.send(workload.otlp(), target, pid, name, Workload.OTLP_HEADERS)
                    : GatewayThroughput.send(workload.remoteWrite(), target, pid, name, Workload.REMOTE_WRITE_HEADERS);
        }
    }

    /** One receiver's run: what it acknowledged, in how long, for how much of its CPU. */
    record Run(String receiver, long samples, double seconds, double cpuSeconds, long retries) {
        double perCpuSecond() {
            return samples / cpuSeconds;
        }

        @Override
        public String toString() {
            return String.format("%-28s %,10d samples in %5.1f s = %,9.0f samples/s; CPU %5.1f s = %,9.0f samples per CPU-second (%.2f us per sample); %d retries",
                    receiver, samples, seconds, samples / seconds, cpuSeconds, perCpuSecond(), cpuSeconds / samples * 1e6, retries);
        }
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int senders = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int hostsPerRequest = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        // Gateway settings to try, e.g. kafka.compression.type=zstd,publish.producers=2 ("-": the gateway's defaults), and
        // those of a second gateway measured in the same rounds (remote write only), to compare two settings.
        Map<String, String> settings = args.length > 5 ? settings(args[5]) : Map.of();
        Optional<Map<String, String>> other = args.length > 6 ? Optional.of(settings(args[6])) : Optional.empty();
        Workload workload = new Workload(hosts, rounds, senders, hostsPerRequest);
        System.out.printf("%d hosts x %d series x %d rounds = %,d samples per run, %d per request, %d senders, %d runs, gateway settings %s%n",
                hosts, FAMILIES * SERIES_PER_FAMILY, rounds, workload.samplesPerRun(), hostsPerRequest * FAMILIES * SERIES_PER_FAMILY,
                senders, runs, settings);
        other.ifPresent(o -> System.out.println("second gateway, remote write only, settings " + o));

        Path work = Files.createTempDirectory("vigil-gateway-bench");
        Map<String, List<Run>> results = new java.util.LinkedHashMap<>();
        try (LocalStack stack = LocalStack.start(StackOptions.anyPorts(work.resolve("stack")), line -> { }, true)) {
            StackEndpoints endpoints = stack.endpoints();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
                new TopicProvisioner(admin).ensure(Topics.ALL, Optional.empty(), (short) 1);
            }
            try (ServiceProcess gateway = ServiceProcess.gateway(work.resolve("gateway"), endpoints, settings).start();
                 ServiceProcess second = other.map(o -> ServiceProcess.gateway(work.resolve("gateway-2"), endpoints, o).start()).orElse(null);
                 PrometheusServer prometheus = PrometheusServer.withConfig(work, "global:\n  scrape_interval: 1m\n").withRemoteWriteReceiver()) {
                awaitHealthy(gateway);
                if (second != null) {
                    awaitHealthy(second);
                }
                prometheus.start();
                prometheus.awaitReady();
                URI gatewayBase = gateway.uri("/");
                List<Receiver> receivers = new ArrayList<>(List.of(
                        new Receiver("gateway, remote write", gatewayBase.resolve("/api/v1/write"), gateway.pid(), false),
                        new Receiver("gateway, OTLP/HTTP protobuf", gatewayBase.resolve("/v1/metrics"), gateway.pid(), true),
                        new Receiver(PROMETHEUS, URI.create(prometheus.url() + "/api/v1/write"), prometheus.pid().orElseThrow(), false)));
                if (second != null) {
                    receivers.add(new Receiver("second gateway, remote write", second.uri("/api/v1/write"), second.pid(), false));
                }
                // Unmeasured warm-up rounds of each: the JIT, connections, the producers' first transactions.
                for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                    for (Receiver receiver : receivers) {
                        System.out.println("(warm-up) " + receiver.send(workload));
                    }
                }
                for (int run = 0; run < runs; run++) {
                    // Interleaved, so a slower spell of the machine falls on all of them alike.
                    for (Receiver receiver : receivers) {
                        Run measured = receiver.send(workload);
                        System.out.println(measured);
                        results.computeIfAbsent(receiver.name(), r -> new ArrayList<>()).add(measured);
                    }
                }
            }
        }
        System.out.println("medians:");
        results.forEach((receiver, list) -> System.out.printf("  %-28s %,9.0f samples per CPU-second, %,9.0f samples/s wall (runs: %s)%n",
                receiver, median(list.stream().mapToDouble(Run::perCpuSecond).toArray()),
                median(list.stream().mapToDouble(r -> r.samples() / r.seconds()).toArray()),
                list.stream().map(r -> String.format("%,.0f", r.perCpuSecond())).toList()));
        List<Run> anchor = results.get(PROMETHEUS);
        System.out.println("samples per CPU-second over Prometheus' in the same round, median (rounds):");
        results.forEach((receiver, list) -> {
            double[] ratios = java.util.stream.IntStream.range(0, list.size())
                    .mapToDouble(i -> list.get(i).perCpuSecond() / anchor.get(i).perCpuSecond()).toArray();
            System.out.printf("  %-28s %.2f %s%n", receiver, median(ratios),
                    Arrays.stream(ratios).mapToObj(r -> String.format("%.2f", r)).toList());
        });
    }

    private static Map<String, String> settings(String list) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String setting : list.equals("-") ? new String[0] : list.split(",")) {
            String[] pair = setting.split("=", 2);
            settings.put(pair[0].strip(), pair[1].strip());
        }
        return settings;
    }

    private static void awaitHealthy(ServiceProcess gateway) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (gateway.health().map(ServiceProcess.Health::isUp).orElse(false) == false) {
            if (System.nanoTime() > deadline || !gateway.isAlive()) {
                throw new IllegalStateException("the gateway did not start: " + gateway.currentOutput());
            }
            Thread.sleep(200);
        }
    }

    /** Sends every request of {@code perSender} (one list per sender thread, each in order) and measures the receiver. */
    private static Run send(List<List<Workload.Request>> perSender, URI target, long pid, String receiver, String[] headers) throws Exception {
        AtomicLong retries = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(perSender.size());
        try {
            double cpuBefore = ProcessStats.cpuSeconds(pid);
            long started = System.nanoTime();
            List<Future<Long>> sent = new ArrayList<>();
            for (List<Workload.Request> requests : perSender) {
                sent.add(pool.submit(() -> {
                    long samples = 0;
                    for (Workload.Request request : requests) {
                        post(target, request.body(), headers, retries);
                        samples += request.samples();
                    }
                    return samples;
                }));
            }
            long samples = 0;
            for (Future<Long> done : sent) {
                samples += done.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Run(receiver, samples, seconds, ProcessStats.cpuSeconds(pid) - cpuBefore, retries.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void post(URI target, byte[] body, String[] headers, AtomicLong retries) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target).headers(headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        while (true) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return;
            }
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                throw new IllegalStateException(target + " answered " + response.statusCode() + ": " + response.body());
            }
            retries.incrementAndGet();
            Thread.sleep(20);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /**
     * The fleet's requests, encoded anew for every run with timestamps after the previous run's (a receiver refuses a
     * series' samples out of time order), one second apart per round.
     */
    static final class Workload {

        static final String[] REMOTE_WRITE_HEADERS = {"Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
            "X-Prometheus-Remote-Write-Version", "0.1.0"};
        static final String[] OTLP_HEADERS = {"Content-Type", "application/x-protobuf"};
        private static final String[] COUNTERS = {"node_cpu_seconds_total", "node_network_receive_bytes_total",
            "node_network_transmit_bytes_total", "node_disk_read_bytes_total", "node_disk_written_bytes_total"};
        private static final String[] GAUGES = {"node_filesystem_avail_bytes", "node_memory_MemAvailable_bytes", "node_load1",
            "node_hwmon_temp_celsius", "node_filefd_allocated"};

        record Request(byte[] body, int samples) {
        }

        private final int hosts;
        private final int rounds;
        private final int senders;
        private final int hostsPerRequest;
        private long nextMillis = System.currentTimeMillis() - Duration.ofMinutes(20).toMillis();

        Workload(int hosts, int rounds, int senders, int hostsPerRequest) {
            this.hosts = hosts;
            this.rounds = rounds;
            this.senders = senders;
            this.hostsPerRequest = hostsPerRequest;
        }

        long samplesPerRun() {
            return (long) hosts * FAMILIES * SERIES_PER_FAMILY * rounds;
        }

        List<List<Request>> remoteWrite() throws IOException {
            return build((firstHost, millis, round) -> {
                WriteRequest.Builder request = WriteRequest.newBuilder();
                for (int host = firstHost; host < Math.min(hosts, firstHost + hostsPerRequest); host++) {
                    for (int family = 0; family < FAMILIES; family++) {
                        for (int series = 0; series < SERIES_PER_FAMILY; series++) {
                            request.addTimeseries(Types.TimeSeries.newBuilder()
                                    .addLabels(label("__name__", name(family)))
                                    .addLabels(label("cpu", Integer.toString(series)))
                                    .addLabels(label("instance", hostName(host) + ":9100"))
                                    .addLabels(label("job", "node"))
                                    .addLabels(label("mode", "m" + family))
                                    .addSamples(Types.Sample.newBuilder().setTimestamp(millis).setValue(value(family, series, round))));
                        }
                    }
                }
                return Snappy.compress(request.build().toByteArray());
            });
        }

        List<List<Request>> otlp() throws IOException {
            return build((firstHost, millis, round) -> {
                ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
                long nanos = millis * 1_000_000L;
                for (int host = firstHost; host < Math.min(hosts, firstHost + hostsPerRequest); host++) {
                    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
                    for (int family = 0; family < FAMILIES; family++) {
                        List<NumberDataPoint> points = new ArrayList<>();
                        for (int series = 0; series < SERIES_PER_FAMILY; series++) {
                            points.add(NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setStartTimeUnixNano(1_000_000L)
                                    .addAttributes(attribute("cpu", Integer.toString(series))).addAttributes(attribute("mode", "m" + family))
                                    .setAsDouble(value(family, series, round)).build());
                        }
                        Metric.Builder metric = Metric.newBuilder().setName(name(family));
                        if (family % 2 == 0) {
                            metric.setSum(Sum.newBuilder().setIsMonotonic(true)
                                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addAllDataPoints(points));
                        } else {
                            metric.setGauge(Gauge.newBuilder().addAllDataPoints(points));
                        }
                        scope.addMetrics(metric);
                    }
                    request.addResourceMetrics(ResourceMetrics.newBuilder()
                            .setResource(Resource.newBuilder().addAttributes(attribute("host.name", hostName(host)))
                                    .addAttributes(attribute("service.name", "node")))
                            .addScopeMetrics(scope));
                }
                return request.build().toByteArray();
            });
        }

        private interface Encoder {
            byte[] encode(int firstHost, long millis, int round) throws IOException;
        }

        /** Requests per sender: sender s owns every {@code senders}th group of hosts, and sends its rounds in order. */
        private List<List<Request>> build(Encoder encoder) throws IOException {
            List<List<Request>> perSender = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                perSender.add(new ArrayList<>());
            }
            for (int round = 0; round < rounds; round++) {
                long millis = nextMillis + round * 1_000L;
                int group = 0;
                for (int firstHost = 0; firstHost < hosts; firstHost += hostsPerRequest, group++) {
                    int samples = (Math.min(hosts, firstHost + hostsPerRequest) - firstHost) * FAMILIES * SERIES_PER_FAMILY;
                    perSender.get(group % senders).add(new Request(encoder.encode(firstHost, millis, round), samples));
                }
            }
            nextMillis += rounds * 1_000L;
            return perSender;
        }

        // Families alternate: even ones are counters, odd ones gauges.
        private static String name(int family) {
            return family % 2 == 0 ? COUNTERS[family / 2] : GAUGES[family / 2];
        }

        private static double value(int family, int series, int round) {
            return family % 2 == 0 ? 1_000.0 * (series + 1) + 17.5 * round : 100.0 + ((round * 31 + series * 7) % 50);
        }

        private static String hostName(int host) {
            return String.format("host-%05d", host);
        }

        private static Types.Label label(String name, String value) {
            return Types.Label.newBuilder().setName(name).setValue(value).build();
        }

        private static KeyValue attribute(String key, String value) {
            return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
        }
    }
}
