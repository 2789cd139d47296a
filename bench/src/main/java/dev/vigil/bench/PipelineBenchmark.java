package dev.vigil.bench;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.vigil.avro.Alert;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulationRunner;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.SinkApp;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackOptions;
import dev.vigil.streams.StreamsApp;

/**
 * The whole pipeline on this machine: a simulated fleet in real time -> Kafka -> the streams application ->
 * the sink -> ClickHouse, each of the two in its own JVM. Reports the samples/s each stage sustained, the
 * latency from a sample's time to its row in ClickHouse and to an alert (percentiles), the sink's consumer
 * lag, CPU and memory per process, and whether ClickHouse holds every produced sample exactly once (count,
 * distinct samples and the sum of values against what was produced).
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.PipelineBenchmark [hosts] [seconds] [history minutes]</pre>
 * History (default 30 min) is produced first, as fast as it goes, so that the detectors are past their warm-up
 * (150 samples) and alert; 0 measures throughput and row latency only.
 * 50 series per host every 10 s: 1,000 hosts are 5,000 samples/s, 20,000 hosts 100,000 samples/s.
 */
public final class PipelineBenchmark {

    private static final Pattern SCORED = Pattern.compile("(?m)^vigil_streams_samples_scored_total(?:\\{[^}]*})? ([0-9.eE+]+)");
    private static final Pattern ROWS = Pattern.compile("(?m)^vigil_sink_rows_total\\{[^}]*table=\"vigil_samples\"[^}]*} ([0-9.eE+]+)");
    private static final Pattern LAG = Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_lag_max\\{[^}]*} ([0-9.eE+]+)");
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 120);
        Duration history = Duration.ofMinutes(args.length > 2 ? Long.parseLong(args[2]) : 30);
        Path work = Files.createTempDirectory("vigil-pipeline-bench");
        try (LocalStack stack = LocalStack.start(StackOptions.anyPorts(work.resolve("stack")), line -> { }, true)) {
            StackEndpoints endpoints = stack.endpoints();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
                new TopicProvisioner(admin).ensure(Topics.ALL, Optional.empty(), (short) 1);
            }
            int streamsPort = freePort();
            int sinkPort = freePort();
            Process streams = child(StreamsApp.class, work, "streams", String.join("\n",
                    "kafka.bootstrap.servers=" + endpoints.kafkaBootstrapServers(), "schema.registry.url=" + endpoints.schemaRegistryUrl(),
                    "state.dir=" + work.resolve("state"), "http.port=" + streamsPort));
            Process sink = child(SinkApp.class, work, "sink", String.join("\n",
                    "kafka.bootstrap.servers=" + endpoints.kafkaBootstrapServers(), "schema.registry.url=" + endpoints.schemaRegistryUrl(),
                    "clickhouse.url=" + endpoints.clickHouseHttpUrl(), "http.port=" + sinkPort));
            try {
                run(endpoints, stack.clickHouse().pid().orElseThrow(), streams, streamsPort, sink, sinkPort, hosts, duration, history);
            } finally {
                streams.destroy();
                sink.destroy();
                streams.waitFor();
                sink.waitFor();
            }
        }
    }

    private static void run(StackEndpoints endpoints, long clickHousePid, Process streams, int streamsPort, Process sink, int sinkPort,
                            int hosts, Duration duration, Duration history) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI streamsMetrics = URI.create("http://127.0.0.1:" + streamsPort + "/metrics");
        URI sinkMetrics = URI.create("http://127.0.0.1:" + sinkPort + "/metrics");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean live = new AtomicBoolean(); // the history is all sent: ticks go out in real time
        AtomicLong produced = new AtomicLong();
        DoubleAdder producedSum = new DoubleAdder();
        List<Long> alertLatencies = Collections.synchronizedList(new ArrayList<>());
        List<Long> rowLatencies = new ArrayList<>();
        java.util.concurrent.ConcurrentLinkedDeque<Long> sentTicks = new java.util.concurrent.ConcurrentLinkedDeque<>();
        double maxLag = 0;

        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", endpoints.schemaRegistryUrl()));
             ClickHouse clickHouse = new ClickHouse(endpoints.clickHouseHttpUrl(), "default", "", "vigil", Duration.ofSeconds(30))) {
            Topics topics = new Topics(serdes);
            // The detectors need history before they score: it is produced first, as fast as it goes; from then on
            // each tick is sent when the wall clock reaches its sample time, so latencies are measured against real time.
            Instant start = Instant.now().minus(history);
            FleetSimulator simulator = new FleetSimulator(new FleetSimulator.Options(hosts, 50, 5, start, INTERVAL, Duration.ofHours(3),
                    Duration.ofMinutes(20)));
            Thread alerts = new Thread(() -> collectAlertLatencies(endpoints, topics, alertLatencies, stop), "bench-alerts");
            alerts.start();
            Thread producer = new Thread(() -> {
                try (Producer<String, MetricBatch> metrics = SimulationRunner.producer(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()),
                        topics.metrics().valueSerde().serializer())) {
                    long ticks = 0;
                    while (!stop.get()) {
                        long wait = start.toEpochMilli() + ticks * INTERVAL.toMillis() - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                        if (wait > 0) {
                            live.set(true);
                            sentTicks.add(start.toEpochMilli() + ticks * INTERVAL.toMillis()); // a real-time tick: its latency is measured
                        }
                        for (MetricBatch batch : simulator.nextTick(anomaly -> { })) {
                            metrics.send(new ProducerRecord<>(Topics.METRICS.name(), batch.getHostId(), batch));
                            produced.addAndGet(batch.getSamples().size());
                            for (Sample sample : batch.getSamples()) {
                                producedSum.add(sample.getValue());
                            }
                        }
                        ticks++;
                    }
                    metrics.flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-producer");
            producer.start();

            long begin = System.nanoTime();
            long measureFrom = 0;
            double scoredAtStart = 0;
            double rowsAtStart = 0;
            double streamsCpuAtStart = 0;
            double sinkCpuAtStart = 0;
            double clickHouseCpuAtStart = 0;
            long producedAtStart = 0;
            // Measure for `duration` once the history is through; give the history at most 15 minutes.
            while (measureFrom == 0 ? System.nanoTime() - begin < Duration.ofMinutes(15).toNanos() : System.nanoTime() - measureFrom < duration.toNanos()) {
                Thread.sleep(250);
                double rows = ChildProcesses.scrape(http, sinkMetrics, ROWS);
                if (measureFrom == 0 && live.get() && rows >= produced.get() * 0.99) { // the history is through: measure from here
                    measureFrom = System.nanoTime();
                    scoredAtStart = ChildProcesses.scrape(http, streamsMetrics, SCORED);
                    rowsAtStart = rows;
                    producedAtStart = produced.get();
                    streamsCpuAtStart = ChildProcesses.cpuSeconds(streams.pid());
                    sinkCpuAtStart = ChildProcesses.cpuSeconds(sink.pid());
                    clickHouseCpuAtStart = ChildProcesses.cpuSeconds(clickHousePid);
                    alertLatencies.clear();
                }
                if (measureFrom != 0) {
                    maxLag = Math.max(maxLag, ChildProcesses.scrape(http, sinkMetrics, LAG));
                }
                // A tick's latency: from its sample time to the moment all its rows are in ClickHouse.
                for (Long tick = sentTicks.peekFirst(); tick != null; tick = sentTicks.peekFirst()) {
                    long landed = Long.parseLong(clickHouse.lines("SELECT count() FROM vigil.vigil_samples WHERE time = toDateTime("
                            + tick / 1000 + ") AND time_ms = " + tick).get(0));
                    if (landed < hosts * 50L) {
                        break;
                    }
                    sentTicks.pollFirst();
                    if (measureFrom != 0) {
                        rowLatencies.add(System.currentTimeMillis() - tick);
                    }
                }
            }
            if (measureFrom == 0) {
                stop.set(true);
                producer.join();
                alerts.join();
                System.out.printf("the pipeline never caught up with the history within 15 minutes: scored %,.0f of %,d samples%n",
                        ChildProcesses.scrape(http, streamsMetrics, SCORED), produced.get());
                return;
            }
            double seconds = (System.nanoTime() - measureFrom) / 1e9;
            double producedRate = (produced.get() - producedAtStart) / seconds;
            double scoredRate = (ChildProcesses.scrape(http, streamsMetrics, SCORED) - scoredAtStart) / seconds;
            double rowsRate = (ChildProcesses.scrape(http, sinkMetrics, ROWS) - rowsAtStart) / seconds;
            double streamsCpu = ChildProcesses.cpuSeconds(streams.pid()) - streamsCpuAtStart;
            double sinkCpu = ChildProcesses.cpuSeconds(sink.pid()) - sinkCpuAtStart;
            double clickHouseCpu = ChildProcesses.cpuSeconds(clickHousePid) - clickHouseCpuAtStart;
            stop.set(true);
            producer.join();
            long total = produced.get();
            waitForRows(http, sinkMetrics, total);
            alerts.join();

            System.out.printf("hosts %,d x 50 series every %d s (%,.0f samples/s offered), measured %.0f s after %s of history%n", hosts,
                    INTERVAL.toSeconds(), hosts * 50.0 / INTERVAL.toSeconds(), seconds, history);
            System.out.printf("sustained: produced %,.0f/s, scored %,.0f/s, rows into ClickHouse %,.0f/s%n", producedRate, scoredRate, rowsRate);
            System.out.printf("sample time to all of its tick's rows in ClickHouse (checked every 250 ms): %s%n", percentiles(rowLatencies));
            System.out.printf("sample time to alert received: %s (%d alerts)%n", percentiles(alertLatencies), alertLatencies.size());
            System.out.printf("sink consumer lag, max: %,.0f records%n", maxLag);
            System.out.printf("CPU over the measured span (cores): streams %.2f, sink %.2f, clickhouse %.2f; RSS: streams %d MiB, sink %d MiB%n",
                    streamsCpu / seconds, sinkCpu / seconds, clickHouseCpu / seconds, rssMiB(streams.pid()), rssMiB(sink.pid()));
            String[] stored = clickHouse.lines("SELECT count(), uniqExact(host_id, series_id, time_ms), sum(value) FROM vigil.vigil_samples")
                    .get(0).split("\t");
            boolean exact = Long.parseLong(stored[0]) == total && Long.parseLong(stored[1]) == total
                    && Math.abs(Double.parseDouble(stored[2]) - producedSum.sum()) <= 1e-6 * Math.max(1, Math.abs(producedSum.sum()));
            System.out.printf("exactly once: produced %,d samples; ClickHouse holds %s rows, %s distinct, sum %s (produced %.6g): %s%n",
                    total, stored[0], stored[1], stored[2], producedSum.sum(), exact ? "OK" : "MISMATCH");
        }
    }

    private static void collectAlertLatencies(StackEndpoints endpoints, Topics topics, List<Long> latencies, AtomicBoolean stop) {
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers(),
                "group.id", "bench-alerts", "isolation.level", "read_committed", "auto.offset.reset", "latest"),
                new StringDeserializer(), topics.alerts().valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS.name()));
            while (!stop.get()) {
                for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getEvent() == dev.vigil.avro.AlertEvent.OPENED) {
                        latencies.add(System.currentTimeMillis() - record.value().getEventTime().toEpochMilli());
                    }
                }
            }
        }
    }

    private static void waitForRows(HttpClient http, URI sinkMetrics, long total) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (ChildProcesses.scrape(http, sinkMetrics, ROWS) < total && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Thread.sleep(3000); // a duplicate, were there one, would land now
    }

    private static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "no data";
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("p50 %d ms, p99 %d ms, max %d ms (n=%d)", sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static long rssMiB(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return 0;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process child(Class<?> main, Path work, String name, String config) throws java.io.IOException {
        Path file = work.resolve(name + ".properties");
        Files.writeString(file, config);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), main.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
    }
}
