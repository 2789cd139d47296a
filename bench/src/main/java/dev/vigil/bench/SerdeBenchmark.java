package dev.vigil.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
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
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroDeserializer;
import dev.vigil.schemas.serde.AvroSerializer;

/**
 * Records per second through Vigil's wire-format serdes for one MetricBatch, next to plain Avro binary
 * encoding of the same record (the floor the wire format adds its header and registry lookup to).
 *
 * <p>The batch is one tick of one simulated host ({@link FleetSimulator}): what a collector sends, with
 * OpenTelemetry names, labels and units, gauges and counters. The registry is in memory: after the first record the serdes never call it, so a real registry
 * would give the same steady-state numbers. Run: {@code java -jar bench/target/vigil-benchmarks.jar Serde}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SerdeBenchmark {

    private static final String TOPIC = "vigil.metrics";

    @Param({"50"})
    public int samples;

    private AvroSerializer<MetricBatch> serializer;
    private AvroDeserializer<MetricBatch> deserializer;
    private SpecificDatumWriter<MetricBatch> plainWriter;
    private BinaryEncoder plainEncoder;
    private MetricBatch batch;
    private byte[] bytes;

    @Setup
    public void setUp() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        serializer = new AvroSerializer<>(registry, true, false);
        deserializer = new AvroDeserializer<>(registry, MetricBatch.class);
        plainWriter = new SpecificDatumWriter<>(MetricBatch.class);
        FleetSimulator oneHost = new FleetSimulator(new FleetSimulator.Options(1, samples, 42,
                Instant.parse("2026-01-07T00:00:00Z"), Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO));
        batch = oneHost.nextTick(anomaly -> { }).get(0);
        bytes = serializer.serialize(TOPIC, batch);
    }

    @Benchmark
    public byte[] serialize() {
        return serializer.serialize(TOPIC, batch);
    }

    @Benchmark
    public MetricBatch deserialize() {
        return deserializer.deserialize(TOPIC, bytes);
    }

    @Benchmark
    public byte[] plainAvroEncode() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        plainEncoder = EncoderFactory.get().binaryEncoder(out, plainEncoder);
        plainWriter.write(batch, plainEncoder);
        plainEncoder.flush();
        return out.toByteArray();
    }
}
