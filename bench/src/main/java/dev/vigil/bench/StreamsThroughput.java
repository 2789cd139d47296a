package dev.vigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.vigil.avro.MetricBatch;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulationRunner;
import dev.vigil.e2e.ProcessStats;
import dev.vigil.e2e.ServiceProcess;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackOptions;

/**
 * Sustained throughput of the streams application on the local stack: pre-fills {@code vigil.metrics} with
 * a simulated fleet, then runs the application in its own JVM (exactly-once, RocksDB on) and measures how
 * fast it scores the backlog, in samples per second of wall clock and per second of the application's CPU
 * (its process, RocksDB's native threads included; the broker runs in this JVM and is not counted).
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.StreamsThroughput [hosts] [metrics] [ticks] [commit.interval]</pre>
 */
public final class StreamsThroughput {

    private StreamsThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int metrics = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String commitInterval = args.length > 3 ? args[3] : "200ms";
        Path work = Files.createTempDirectory("vigil-streams-bench");
        try (LocalStack stack = LocalStack.start(StackOptions.anyPorts(work.resolve("stack")), line -> { }, true)) {
            StackEndpoints endpoints = stack.endpoints();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
                new TopicProvisioner(admin).ensure(Topics.ALL, Optional.empty(), (short) 1);
            }
            long samples = prefill(endpoints, hosts, metrics, ticks);
            System.out.printf("pre-filled %,d samples (%d hosts x %d metrics x %d ticks)%n", samples, hosts, metrics, ticks);

            try (ServiceProcess app = ServiceProcess.streams(work, endpoints, Map.of("commit.interval", commitInterval)).start()) {
                measure(app, samples);
            }
        }
    }

    private static long prefill(StackEndpoints endpoints, int hosts, int metrics, int ticks) throws IOException {
        FleetSimulator simulator = new FleetSimulator(new FleetSimulator.Options(hosts, metrics, 1,
                Instant.parse("2026-11-02T00:00:00Z"), Duration.ofSeconds(10), Duration.ofHours(6), Duration.ofMinutes(10)));
        long samples = 0;
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", endpoints.schemaRegistryUrl()));
             Producer<String, MetricBatch> producer = SimulationRunner.producer(
                     Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()), new Topics(serdes).metrics().valueSerde().serializer())) {
            for (int tick = 0; tick < ticks; tick++) {
                for (MetricBatch batch : simulator.nextTick(anomaly -> { })) {
                    producer.send(new ProducerRecord<>(Topics.METRICS.name(), batch.getHostId(), batch));
                    samples += batch.getSamples().size();
                }
            }
            producer.flush();
        }
        return samples;
    }

    /** From the first sample scored to the last: wall clock, the application's CPU, and the rates they give. */
    private static void measure(ServiceProcess app, long samples) throws Exception {
        double scored = 0;
        long startNanos = 0;
        double startScored = 0;
        double startCpu = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (scored < samples) {
            if (System.nanoTime() > deadline || !app.isAlive()) {
                throw new IllegalStateException("the application stopped or stalled at " + (long) scored + " samples");
            }
            Thread.sleep(250);
            scored = app.meter("vigil_streams_samples_scored_total");
            if (startNanos == 0 && scored > 0) {
                startNanos = System.nanoTime();
                startScored = scored;
                startCpu = ProcessStats.cpuSeconds(app.pid());
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double cpu = ProcessStats.cpuSeconds(app.pid()) - startCpu;
        double measured = scored - startScored;
        System.out.printf("scored %,.0f samples in %.1f s: %,.0f samples/s; CPU %.1f s = %.2f core-seconds per 100k samples = %,.0f samples/s per core%n",
                measured, seconds, measured / seconds, cpu, cpu / measured * 100_000, measured / cpu);
    }
}
