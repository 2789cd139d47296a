package dev.vigil.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackOptions;

/**
 * The whole pipeline on this machine: a simulated fleet -> Kafka -> the streams application -> the sink ->
 * ClickHouse, the two services each in its own JVM on a fresh local stack. Reports the samples/s each stage
 * sustained, the latency from a sample's time to its row in ClickHouse and to an alert, the sink's consumer lag,
 * CPU and memory per process, and whether ClickHouse holds every produced sample exactly once (count, distinct
 * samples and sum against the feed's ledger). {@code vigil bench pipeline} runs it.
 *
 * <p>History is produced first, as fast as it goes, so that the detectors are past their warm-up and alert;
 * measuring starts once the pipeline has caught up with the clock and lasts {@code duration}. 50 series per host
 * every 10 s: 1,000 hosts are 5,000 samples/s, 20,000 hosts 100,000 samples/s.
 */
public final class PipelineBenchmark {

    /**
     * @param hosts    simulated hosts, 50 series each, every 10 s
     * @param duration how long to measure once the history is through
     * @param history  simulated time produced first (0: none; the detectors then learn and do not alert)
     * @param spread   hosts send at their own offsets within the interval (as real collectors do), not all at once
     * @param workDir  where the stack, the services' logs and state go
     */
    public record Settings(int hosts, Duration duration, Duration history, boolean spread, Path workDir) {
        public Settings {
            if (hosts < 1) {
                throw new IllegalArgumentException("hosts must be at least 1");
            }
            Objects.requireNonNull(workDir, "workDir can't be null");
        }
    }

    /** The figures of one run; latencies in milliseconds. */
    public record Result(int hosts, double seconds, double producedPerSecond, double scoredPerSecond, double rowsPerSecond,
                         List<Long> rowLatencies, List<Long> openedLatencies, List<Long> eventLatencies, double maxLag, double streamsCores, double sinkCores,
                         double clickHouseCores, double harnessCores, long streamsRssMiB, long sinkRssMiB, long produced, boolean exactlyOnce,
                         String stored) {
    }

    static final int METRICS_PER_HOST = 50;
    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(15);
    private static final Pattern SAMPLE_ROWS = Pattern.compile("(?m)^vigil_sink_rows_total\\{[^}]*table=\"vigil_samples\"[^}]*} ([0-9.eE+]+)$");
    private static final Pattern LAG = Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_lag_max\\{(?![^}]*partition)[^}]*} ([0-9.eE+-]+)$");

    private PipelineBenchmark() {
    }

    /** One run on a fresh stack; progress and the figures go to {@code out}. Empty if the pipeline never caught up. */
    public static Optional<Result> run(Settings settings, PrintWriter out) throws Exception {
        Files.createDirectories(settings.workDir());
        try (LocalStack stack = LocalStack.start(StackOptions.anyPorts(settings.workDir().resolve("stack")), line -> { }, true)) {
            StackEndpoints endpoints = stack.endpoints();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
                new TopicProvisioner(admin).ensure(Topics.ALL, Optional.empty(), (short) 1);
            }
            try (ServiceProcess streams = ServiceProcess.streams(settings.workDir(), endpoints, Map.of()).start();
                 ServiceProcess sink = ServiceProcess.sink(settings.workDir(), endpoints, endpoints.clickHouseHttpUrl(), Map.of()).start();
                 AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", endpoints.schemaRegistryUrl()));
                 ClickHouse clickHouse = new ClickHouse(endpoints.clickHouseHttpUrl(), "default", "", "vigil", Duration.ofSeconds(30))) {
                Optional<Result> result = measure(settings, endpoints, new Topics(serdes), clickHouse, streams, sink,
                        stack.clickHouse().pid().orElseThrow(), out);
                result.ifPresent(r -> print(r, settings, out));
                return result;
            }
        }
    }

    private static Optional<Result> measure(Settings settings, StackEndpoints endpoints, Topics topics, ClickHouse clickHouse,
                                            ServiceProcess streams, ServiceProcess sink, long clickHousePid, PrintWriter out) throws Exception {
        int hosts = settings.hosts();
        long samplesPerTick = (long) hosts * METRICS_PER_HOST;
        Instant start = Instant.now().minus(settings.history()).truncatedTo(ChronoUnit.SECONDS);
        FleetFeed feed = new FleetFeed(new FleetFeed.Options(hosts, METRICS_PER_HOST, INTERVAL, start, 0, settings.spread(), 5,
                Duration.ofHours(3)), Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()), topics.metrics().valueSerde().serializer());
        ConcurrentLinkedDeque<Long> liveTicks = new ConcurrentLinkedDeque<>();
        feed.onLiveTick(liveTicks::add);
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> openedLatencies = Collections.synchronizedList(new ArrayList<>());
        List<Long> eventLatencies = Collections.synchronizedList(new ArrayList<>());
        List<Long> rowLatencies = new ArrayList<>();
        long[] measureFrom = {0};
        Thread alerts = new Thread(() -> collectAlertLatencies(endpoints, topics, openedLatencies, eventLatencies, measureFrom, stop), "bench-alerts");
        alerts.start();
        feed.start();
        out.printf("%,d hosts x %d series every %d s (%,.0f samples/s), %s of history first%n", hosts, METRICS_PER_HOST,
                INTERVAL.toSeconds(), samplesPerTick / (double) INTERVAL.toSeconds(), settings.history());
        out.flush();

        long begin = System.nanoTime();
        long measureStart = 0;
        Snapshot first = null;
        double maxLag = 0;
        while (measureStart == 0 ? System.nanoTime() - begin < CATCH_UP_LIMIT.toNanos()
                : System.nanoTime() - measureStart < settings.duration().toNanos()) {
            Thread.sleep(250);
            Long oldest = liveTicks.peekFirst();
            if (measureStart == 0 && oldest != null && System.currentTimeMillis() - feed.lastStamp(oldest) < 2 * INTERVAL.toMillis()
                    && tickStored(clickHouse, oldest, samplesPerTick)) {
                // The history is through, rollups and forecasts included: a real-time tick is in ClickHouse within two
                // intervals of its last sample. Measure from here.
                measureStart = System.nanoTime();
                measureFrom[0] = System.currentTimeMillis();
                first = Snapshot.take(streams, sink, clickHousePid, feed.sentSamples());
                out.printf("caught up with the clock after %.0f s; measuring for %s%n", (measureStart - begin) / 1e9, settings.duration());
                out.flush();
            }
            if (measureStart != 0) {
                for (double lag : ProcessStats.scrapeAll(sink.metricsUri(), LAG)) {
                    maxLag = Math.max(maxLag, lag);
                }
            }
            // A tick's latency: from the stamp of its last sample to the moment all its rows are in ClickHouse.
            for (Long tick = liveTicks.peekFirst(); tick != null && tick + INTERVAL.toMillis() <= System.currentTimeMillis()
                    && tickStored(clickHouse, tick, samplesPerTick); tick = liveTicks.peekFirst()) {
                liveTicks.pollFirst();
                if (measureStart != 0) {
                    rowLatencies.add(System.currentTimeMillis() - feed.lastStamp(tick));
                }
            }
        }
        if (measureStart == 0) {
            FleetFeed.Ledger ledger = feed.stop();
            stop.set(true);
            alerts.join();
            out.printf("the pipeline did not catch up with the clock within %s: scored %,.0f of %,d samples%n", CATCH_UP_LIMIT,
                    streams.meter("vigil_streams_samples_scored_total"), ledger.sentSamples());
            return Optional.empty();
        }
        Snapshot from = first;
        Snapshot last = Snapshot.take(streams, sink, clickHousePid, feed.sentSamples());
        double seconds = (last.nanos - from.nanos) / 1e9;
        long streamsRss = ProcessStats.rssMiB(streams.pid());
        long sinkRss = ProcessStats.rssMiB(sink.pid());
        FleetFeed.Ledger ledger = feed.stop();
        awaitRows(clickHouse, ledger.expectedSamples());
        stop.set(true);
        alerts.join();
        String stored = clickHouse.lines("SELECT count(), uniqExact(host_id, series_id, time_ms), sum(value) FROM vigil.vigil_samples").get(0);
        String[] fields = stored.split("\t");
        boolean exact = Long.parseLong(fields[0]) == ledger.expectedSamples() && Long.parseLong(fields[1]) == ledger.expectedSamples()
                && Math.abs(Double.parseDouble(fields[2]) - ledger.expectedSum()) <= 1e-9 * Math.max(1, Math.abs(ledger.expectedSum()));
        ToDoubleFunction<ToDoubleFunction<Snapshot>> rate = f -> (f.applyAsDouble(last) - f.applyAsDouble(from)) / seconds;
        return Optional.of(new Result(hosts, seconds, rate.applyAsDouble(s -> s.sent), rate.applyAsDouble(s -> s.scored),
                rate.applyAsDouble(s -> s.rows), rowLatencies, new ArrayList<>(openedLatencies),
                new ArrayList<>(eventLatencies), maxLag, rate.applyAsDouble(s -> s.streamsCpu),
                rate.applyAsDouble(s -> s.sinkCpu), rate.applyAsDouble(s -> s.clickHouseCpu), rate.applyAsDouble(s -> s.harnessCpu),
                streamsRss, sinkRss, ledger.expectedSamples(), exact, stored.replace('\t', ' ')));
    }

    /** Counters and CPU seconds at one moment. */
    private record Snapshot(long nanos, double sent, double scored, double rows, double streamsCpu, double sinkCpu, double clickHouseCpu,
                            double harnessCpu) {
        static Snapshot take(ServiceProcess streams, ServiceProcess sink, long clickHousePid, long sent) throws IOException {
            return new Snapshot(System.nanoTime(), sent, streams.meter("vigil_streams_samples_scored_total"),
                    sink.scrape(SAMPLE_ROWS),
                    ProcessStats.cpuSeconds(streams.pid()), ProcessStats.cpuSeconds(sink.pid()), ProcessStats.cpuSeconds(clickHousePid),
                    ProcessStats.cpuSeconds(ProcessHandle.current().pid()));
        }
    }

    private static boolean tickStored(ClickHouse clickHouse, long tick, long samplesPerTick) {
        long end = tick + INTERVAL.toMillis();
        String count = clickHouse.lines("SELECT count() FROM vigil.vigil_samples WHERE time >= toDateTime(" + tick / 1000
                + ") AND time < toDateTime(" + (end + 999) / 1000 + ") AND time_ms >= " + tick + " AND time_ms < " + end).get(0);
        return Long.parseLong(count) >= samplesPerTick;
    }

    /**
     * Alert events on samples taken since measuring began: the delay from the sample's time to the event's arrival
     * here, for alerts opened (series and host) and for events of every kind.
     */
    private static void collectAlertLatencies(StackEndpoints endpoints, Topics topics, List<Long> opened, List<Long> events,
                                              long[] measureFrom, AtomicBoolean stop) {
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers(),
                "group.id", "bench-alerts", "isolation.level", "read_committed", "auto.offset.reset", "earliest"),
                new StringDeserializer(), topics.alerts().valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS.name()));
            while (!stop.get()) {
                for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(100))) {
                    long sampleTime = record.value().getEventTime().toEpochMilli();
                    // Every event is sent on the sample that caused it (an opening on the sample that crossed the
                    // threshold), through the same processor, transaction and topic.
                    if (measureFrom[0] != 0 && sampleTime >= measureFrom[0]) {
                        long latency = System.currentTimeMillis() - sampleTime;
                        events.add(latency);
                        if (record.value().getEvent() == AlertEvent.OPENED) {
                            opened.add(latency);
                        }
                    }
                }
            }
        }
    }

    private static void awaitRows(ClickHouse clickHouse, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (Long.parseLong(clickHouse.lines("SELECT count() FROM vigil.vigil_samples").get(0)) < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Thread.sleep(3000); // a duplicate, were there one, would land now
    }

    private static void print(Result r, Settings settings, PrintWriter out) {
        out.printf("hosts %,d x %d series every %d s (%,.0f samples/s offered%s), measured %.0f s after %s of history%n", r.hosts(),
                METRICS_PER_HOST, INTERVAL.toSeconds(), r.hosts() * (double) METRICS_PER_HOST / INTERVAL.toSeconds(),
                settings.spread() ? ", hosts spread over the interval" : ", all hosts at once", r.seconds(), settings.history());
        out.printf("sustained: produced %,.0f/s, scored %,.0f/s, rows into ClickHouse %,.0f/s%n", r.producedPerSecond(),
                r.scoredPerSecond(), r.rowsPerSecond());
        out.printf("last sample of a tick to all of the tick's rows in ClickHouse (checked every 250 ms): %s%n", percentiles(r.rowLatencies()));
        out.printf("sample time to alert opened (series or host), received by a consumer: %s%n", percentiles(r.openedLatencies()));
        out.printf("sample time to any alert event (opened, updated, resolved) received: %s%n", percentiles(r.eventLatencies()));
        out.printf("sink consumer lag, max: %,.0f records%n", r.maxLag());
        out.printf("CPU (cores): streams %.2f, sink %.2f, clickhouse %.2f, broker + fleet feed %.2f; RSS: streams %d MiB, sink %d MiB%n",
                r.streamsCores(), r.sinkCores(), r.clickHouseCores(), r.harnessCores(), r.streamsRssMiB(), r.sinkRssMiB());
        out.printf("exactly once: %,d samples sent; ClickHouse holds (count, distinct, sum) %s: %s%n", r.produced(), r.stored(),
                r.exactlyOnce() ? "OK" : "MISMATCH");
        out.flush();
    }

    /** {@code p50 / p99 / max (n)} of latencies in milliseconds. */
    public static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "no data";
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("p50 %,d ms, p99 %,d ms, max %,d ms (n=%d)", percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1), sorted.size());
    }

    /** The value at {@code quantile} of sorted values (nearest rank). */
    public static long percentile(List<Long> sorted, double quantile) {
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * quantile) - 1)));
    }

    /** {@code java -cp ... dev.vigil.e2e.PipelineBenchmark [hosts] [seconds] [history minutes]}; {@code vigil bench pipeline} is the usual way. */
    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 120);
        Duration history = Duration.ofMinutes(args.length > 2 ? Long.parseLong(args[2]) : 30);
        PrintWriter out = new PrintWriter(System.out, true);
        run(new Settings(hosts, duration, history, true, Files.createTempDirectory("vigil-pipeline-bench")), out);
    }
}
