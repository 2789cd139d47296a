package dev.vigil.collectors.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;

/**
 * Drives a {@link FleetSimulator} into Kafka: batches to the metrics topic (key = host id), ground truth
 * to a JSON-lines file and optionally to a topic, paced at {@code speed} times real time or as fast as
 * the producer takes them.
 */
public final class SimulationRunner {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param speed      simulated seconds per wall-clock second; 0 for as fast as possible
     * @param ticks      how many ticks to run; empty to run until stopped
     * @param truthFile  JSON-lines file for the ground truth, if any
     */
    public record Settings(String metricsTopic, double speed, Optional<Long> ticks, Optional<Path> truthFile,
                           Optional<String> truthTopic) {
        public Settings {
            Objects.requireNonNull(metricsTopic, "metricsTopic can't be null");
            if (speed < 0) {
                throw new IllegalArgumentException("speed must not be negative");
            }
        }
    }

    /** What a run produced and how fast. */
    public record Result(long ticks, long batches, long samples, long anomalies, Duration elapsed) {

        public double samplesPerSecond() {
            return elapsed.isZero() ? 0 : samples * 1e9 / elapsed.toNanos();
        }
    }

    private SimulationRunner() {
    }

    /** Runs until the tick count is reached or {@code stop} says so; flushes the producers before returning. */
    public static Result run(FleetSimulator simulator, Duration interval, Settings settings,
                             Producer<String, MetricBatch> metrics, Optional<Producer<String, InjectedAnomaly>> truthProducer,
                             BooleanSupplier stop) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long ticks = 0;
        long batches = 0;
        long samples = 0;
        List<InjectedAnomaly> truth = new ArrayList<>();
        long anomalies = 0;
        try (BufferedWriter truthOut = settings.truthFile().isPresent() ? Files.newBufferedWriter(settings.truthFile().get()) : null) {
            while (!stop.getAsBoolean() && ticks < settings.ticks().orElse(Long.MAX_VALUE)) {
                pace(started, ticks, interval, settings.speed(), stop);
                for (MetricBatch batch : simulator.nextTick(truth::add)) {
                    metrics.send(new ProducerRecord<>(settings.metricsTopic(), batch.getHostId(), batch));
                    batches++;
                    samples += batch.getSamples().size();
                }
                for (InjectedAnomaly anomaly : truth) {
                    if (truthOut != null) {
                        truthOut.write(toJson(anomaly));
                        truthOut.newLine();
                    }
                    truthProducer.ifPresent(p -> p.send(new ProducerRecord<>(settings.truthTopic().orElseThrow(), anomaly.getHostId(), anomaly)));
                }
                anomalies += truth.size();
                truth.clear();
                ticks++;
            }
            if (truthOut != null) {
                truthOut.flush();
            }
        }
        metrics.flush();
        truthProducer.ifPresent(Producer::flush);
        return new Result(ticks, batches, samples, anomalies, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * A producer tuned for a load generator (large lz4 batches, 20 ms linger, idempotent, acks=all);
     * {@code kafka} (producer settings without prefix, bootstrap.servers among them) override the defaults.
     */
    public static <V> Producer<String, V> producer(Map<String, ?> kafka, Serializer<V> values) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-simulator");
        props.putAll(kafka);
        return new KafkaProducer<>(props, new StringSerializer(), values);
    }

    /** Waits until the tick is due at {@code speed}, in short naps so a stop request is seen at once. */
    private static void pace(long startedNanos, long tick, Duration interval, double speed, BooleanSupplier stop)
            throws InterruptedException {
        if (speed == 0) {
            return;
        }
        long due = startedNanos + (long) (tick * interval.toNanos() / speed);
        for (long wait = due - System.nanoTime(); wait > 0 && !stop.getAsBoolean(); wait = due - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    /** One ground-truth line: times as ISO-8601, labels as an object. */
    static String toJson(InjectedAnomaly anomaly) {
        ObjectNode line = JSON.createObjectNode()
                .put("hostId", anomaly.getHostId())
                .put("metric", anomaly.getMetric())
                .put("kind", anomaly.getKind().name())
                .put("start", anomaly.getStart().toString())
                .put("end", anomaly.getEnd().toString())
                .put("seed", anomaly.getSeed());
        ObjectNode labels = line.putObject("labels");
        anomaly.getLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(label -> labels.put(label.getKey(), label.getValue()));
        return line.toString();
    }
}
