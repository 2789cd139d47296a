package dev.vigil.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.vigil.avro.MetricBatch;
import dev.vigil.collectors.simulator.FleetSimulator;

/**
 * How fast the fleet simulator makes samples on one thread, before Kafka: one operation is one tick of
 * {@code hosts} x 50 series. Samples per second = ops/s x hosts x 50.
 * Run: {@code java -jar bench/target/vigil-benchmarks.jar Simulator}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SimulatorBenchmark {

    @Param({"1000"})
    public int hosts;

    private FleetSimulator simulator;

    @Setup
    public void setUp() {
        simulator = new FleetSimulator(new FleetSimulator.Options(hosts, 50, 42, Instant.parse("2026-11-01T00:00:00Z"),
                Duration.ofSeconds(10), Duration.ofDays(1), Duration.ofHours(1)));
    }

    @Benchmark
    public List<MetricBatch> tick() {
        return simulator.nextTick(anomaly -> { });
    }
}
