package dev.vigil.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.e2e.ProcessStats;
import dev.vigil.e2e.ServiceProcess;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackOptions;

/**
 * Rows per second into ClickHouse for one sink instance, from a pre-filled {@code vigil.scores}: the sink
 * runs in its own JVM against the local stack's clickhouse-server (18.16); the harness reports wall-clock
 * rows/s from the first row written to the last, the sink's CPU and ClickHouse's CPU over that span, and
 * checks the table holds every row once.
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.SinkThroughput [batches] [scores per batch]</pre>
 */
public final class SinkThroughput {

    private static final Pattern ROWS = Pattern.compile("(?m)^vigil_sink_rows_total\\{[^}]*table=\"vigil_samples\"[^}]*} ([0-9.eE+]+)");

    private SinkThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int scores = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path work = Files.createTempDirectory("vigil-sink-bench");
        try (LocalStack stack = LocalStack.start(StackOptions.anyPorts(work.resolve("stack")), line -> { }, true)) {
            StackEndpoints endpoints = stack.endpoints();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
                new TopicProvisioner(admin).ensure(Topics.ALL, Optional.empty(), (short) 1);
            }
            long rows = prefill(endpoints, batches, scores);
            System.out.printf("pre-filled %,d rows (%,d score batches x %d)%n", rows, batches, scores);

            try (ServiceProcess sink = ServiceProcess.sink(work, endpoints, endpoints.clickHouseHttpUrl(), Map.of("tables", "vigil_samples"))
                    .start()) {
                measure(sink, stack.clickHouse().pid().orElseThrow(), rows);
            }
            try (ClickHouse clickHouse = new ClickHouse(endpoints.clickHouseHttpUrl(), "default", "", "vigil", Duration.ofSeconds(60))) {
                String[] stored = clickHouse.lines("SELECT count(), uniqExact(host_id, series_id, time_ms) FROM vigil.vigil_samples").get(0).split("\t");
                System.out.printf("ClickHouse holds %s rows, %s distinct samples, of %,d produced%n", stored[0], stored[1], rows);
            }
        }
    }

    private static long prefill(StackEndpoints endpoints, int batches, int scores) {
        Instant start = Instant.parse("2026-11-02T00:00:00Z");
        long rows = 0;
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", endpoints.schemaRegistryUrl()));
             KafkaProducer<String, ScoreBatch> producer = new KafkaProducer<>(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers(),
                     "linger.ms", 20, "batch.size", 512 * 1024, "compression.type", "lz4"),
                     new StringSerializer(), new Topics(serdes).scores().valueSerde().serializer())) {
            for (int b = 0; b < batches; b++) {
                String host = "host-" + (b % 10_000);
                Instant time = start.plusSeconds(10L * (b / 10_000));
                List<AnomalyScore> items = new ArrayList<>(scores);
                for (int s = 0; s < scores; s++) {
                    items.add(AnomalyScore.newBuilder().setHostId(host).setMetric("system.cpu.utilization")
                            .setLabels(Map.of("cpu", Integer.toString(s % 8), "state", s < 25 ? "user" : "system"))
                            .setSeriesId(Long.toHexString(host.hashCode() * 31L + s)).setTimestamp(time).setValue(s * 0.01)
                            .setExpected(0.2).setLower(0.1).setUpper(0.3).setScore(0.05).setLearning(false).build());
                }
                producer.send(new ProducerRecord<>(Topics.SCORES.name(), host, new ScoreBatch(host, items)));
                rows += scores;
            }
            producer.flush();
        }
        return rows;
    }

    /** From the first row written to the last: wall clock, the sink's and ClickHouse's CPU, and the rates they give. */
    private static void measure(ServiceProcess sink, long clickHousePid, long rows) throws Exception {
        double written = 0;
        long startNanos = 0;
        double startWritten = 0;
        double startSinkCpu = 0;
        double startClickHouseCpu = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (written < rows) {
            if (System.nanoTime() > deadline || !sink.isAlive()) {
                throw new IllegalStateException("the sink stopped or stalled at " + (long) written + " rows");
            }
            Thread.sleep(100);
            written = sink.scrape(ROWS);
            if (startNanos == 0 && written > 0) {
                startNanos = System.nanoTime();
                startWritten = written;
                startSinkCpu = ProcessStats.cpuSeconds(sink.pid());
                startClickHouseCpu = ProcessStats.cpuSeconds(clickHousePid);
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double sinkCpu = ProcessStats.cpuSeconds(sink.pid()) - startSinkCpu;
        double clickHouseCpu = ProcessStats.cpuSeconds(clickHousePid) - startClickHouseCpu;
        double measured = written - startWritten;
        System.out.printf("wrote %,.0f rows in %.1f s: %,.0f rows/s; sink CPU %.1f s (%,.0f rows/s per core), ClickHouse CPU %.1f s%n",
                measured, seconds, measured / seconds, sinkCpu, measured / sinkCpu, clickHouseCpu);
    }
}
