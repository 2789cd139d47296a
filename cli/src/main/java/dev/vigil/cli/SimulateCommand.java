package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.Producer;

import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulationRunner;
import dev.vigil.schemas.Topics;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil simulate}: a synthetic fleet with injected anomalies and their ground truth. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Publishes a simulated fleet (hosts x metrics with daily and weekly seasonality, trends, noise, counters)",
            "with injected anomalies, and writes their ground truth to a file and optionally to vigil.simulator.truth.",
            "Deterministic for a seed; runs at --speed times real time, or as fast as Kafka takes it with --speed 0."})
final class SimulateCommand implements Callable<Integer> {

    /** What {@code --config} may hold: where Kafka and the registry are, and how to reach them. */
    static final ConfigDefinition SETTINGS = ConfigDefinition.of("vigil simulate")
            .with(CommonKeys.kafka("the simulator's producers"), CommonKeys.SCHEMA_REGISTRY);

    @Option(names = "--hosts", defaultValue = "100", description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
    private int hosts;

    @Option(names = "--metrics", defaultValue = "50", description = "Series per host (default: ${DEFAULT-VALUE}).")
    private int metrics;

    @Option(names = "--seed", defaultValue = "1", description = "Everything random derives from it (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--interval", defaultValue = "10s", converter = DurationConverter.class,
            description = "Simulated time between samples (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--speed", defaultValue = "1", description = "Simulated seconds per real second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    private double speed;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Simulated time to cover, then stop (default: until Ctrl-C).")
    private Duration duration;

    @Option(names = "--start", description = "Simulated time of the first sample, ISO-8601 (default: now; now minus --duration with --speed 0 or above 1, "
                    + "so that no sample is stamped ahead of the clock: the streams application refuses those beyond max.clock.skew).")
    private Instant start;

    @Option(names = "--anomaly-every", defaultValue = "1d", converter = DurationConverter.class,
            description = "Mean time between anomalies per series; 0s for none (default: ${DEFAULT-VALUE}).")
    private Duration anomalyEvery;

    @Option(names = "--warmup", defaultValue = "1h", converter = DurationConverter.class,
            description = "Simulated time before the first anomaly (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = "--truth", paramLabel = "FILE", description = "Write the ground truth here as JSON lines.")
    private Path truthFile;

    @Option(names = "--truth-topic", description = "Also publish the ground truth to vigil.simulator.truth.")
    private boolean truthTopic;

    @Option(names = "--topic", defaultValue = "vigil.metrics", description = "Where batches go (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Mixin
    private ClientSettings clientSettings;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (speed < 0) {
            throw new IllegalArgumentException("--speed must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        ConfigValues settings = SETTINGS.read(clientSettings.load());
        Instant first = start != null ? start : ((speed == 0 || speed > 1) && duration != null ? Instant.now().minus(duration) : Instant.now());
        var options = new FleetSimulator.Options(hosts, metrics, seed, first, interval,
                anomalyEvery.isZero() ? Duration.ZERO : anomalyEvery, warmup);
        FleetSimulator simulator = new FleetSimulator(options);
        Optional<Long> ticks = Optional.ofNullable(duration).map(d -> Math.max(1, d.toMillis() / interval.toMillis()));
        Map<String, Object> registryConfig = CommonKeys.schemaRegistry(settings);
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true), "vigil-simulate-stop"));
        try (AvroSerdes serdes = new AvroSerdes(registryConfig)) {
            Topics topics = new Topics(serdes);
            out.printf("Simulating %d hosts x %d metrics (%d samples per %s of simulated time), seed %d, from %s, speed %s%n",
                    hosts, metrics, simulator.samplesPerTick(), interval, seed, first, speed == 0 ? "max" : speed + "x");
            out.flush();
            SimulationRunner.Result result;
            Map<String, Object> kafka = CommonKeys.kafkaClient(settings);
            try (Producer<String, MetricBatch> producer = SimulationRunner.producer(kafka, topics.metrics().valueSerde().serializer());
                 Producer<String, InjectedAnomaly> truthProducer = truthTopic
                         ? SimulationRunner.producer(kafka, topics.simulatorTruth().valueSerde().serializer()) : null) {
                result = SimulationRunner.run(simulator, interval,
                        new SimulationRunner.Settings(topic, speed, ticks, Optional.ofNullable(truthFile),
                                truthTopic ? Optional.of(Topics.SIMULATOR_TRUTH.name()) : Optional.empty()),
                        producer, Optional.ofNullable(truthProducer), stop::get);
            }
            out.printf("Published %,d batches, %,d samples, %,d injected anomalies in %.1f s: %,.0f samples/s%n",
                    result.batches(), result.samples(), result.anomalies(), result.elapsed().toNanos() / 1e9, result.samplesPerSecond());
        }
        return ExitCodes.OK;
    }
}
