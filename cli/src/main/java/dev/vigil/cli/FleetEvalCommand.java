package dev.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.streams.alerts.AlertPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil eval fleet}: how noisy the detector and the alert lifecycle are on a healthy fleet, and how fast they open on anomalies. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Alert openings on a healthy simulated fleet, and time to open on anomalies.",
            "Runs two fleets offline (10 s samples) through the streams application's",
            "detector and alert lifecycle (series alerts, then host grouping after each",
            "host's batch). Healthy fleet: openings per host-day, day by day, after the",
            "warm-up (day 1 plus the detector's). The same fleet with anomalies: per",
            "kind, the share opened within 5 minutes and the median time to open; and",
            "the openings no anomaly explains. See docs/detection.md."})
final class FleetEvalCommand implements Callable<Integer> {

    /** How often progress goes to stderr. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    @Option(names = "--hosts", defaultValue = "200", description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
    private int hosts;

    @Option(names = "--series", defaultValue = "50", description = "Series per host (default: ${DEFAULT-VALUE}).")
    private int series;

    @Option(names = "--days", defaultValue = "7", description = "Simulated days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--seed", defaultValue = "1", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--anomaly-every", defaultValue = "3d", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Mean time between anomalies per series in the fleet with anomalies, from the end of the warm-up (default: ${DEFAULT-VALUE}).")
    private Duration anomalyEvery;

    @Option(names = "--open-threshold", paramLabel = "SCORE",
            description = "The alerts' open threshold to evaluate (default: the application's alerts.open.threshold).")
    private Double openThreshold;

    @Option(names = "--threads", description = "Threads the hosts are shared out across (default: the available processors).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        FleetEvaluation.Settings settings = new FleetEvaluation.Settings(hosts, series, days, seed, anomalyEvery);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FleetTimeline timeline = settings.timeline();
        FleetReport.printWarmUp(out, timeline);

        long started = System.nanoTime();
        FleetRun healthy = run("healthy fleet", settings.healthy(), timeline, err);
        FleetReport.printRun(out, "Healthy fleet (no anomalies)", healthy, Duration.ofNanos(System.nanoTime() - started), threads);
        double healthyPerHostDay = FleetReport.printDays(out, healthy);
        int boundedPerHost = FleetEvaluation.boundedSeries(settings.healthy());
        int healthyPredicted = FleetReport.printPredicted(out, healthy, boundedPerHost);
        out.flush();

        started = System.nanoTime();
        FleetRun withAnomalies = run("fleet with anomalies", settings.withAnomalies(), timeline, err);
        FleetReport.printRun(out, String.format("Fleet with anomalies (one per series every %.1f days on average, after warm-up)",
                        anomalyEvery.toMinutes() / (24 * 60.0)),
                withAnomalies, Duration.ofNanos(System.nanoTime() - started), threads);
        FleetAnomalyMatching.Summary anomalies = FleetReport.printAnomalies(out, withAnomalies, FleetAnomalyMatching.match(withAnomalies));
        FleetReport.printPredicted(out, withAnomalies, boundedPerHost);
        out.printf("target: no PREDICTED alert on the healthy fleet: %s (%d)%n", healthyPredicted == 0 ? "MET" : "NOT MET", healthyPredicted);

        FleetReport.printTargets(out, healthyPerHostDay, anomalies);
        return ExitCodes.OK;
    }

    private FleetRun run(String name, FleetSimulator.Options fleet, FleetTimeline timeline, PrintWriter err) {
        try (Progress progress = new Progress(name, timeline.ticks() * fleet.hosts() * fleet.metricsPerHost(), err)) {
            AlertPolicy policy = FleetEvaluation.APPLICATION.alerts();
            return FleetEvaluation.run(fleet, timeline, openThreshold == null ? policy : policy.withOpenThreshold(openThreshold),
                    threads, progress);
        }
    }

    /** Samples scored so far, printed to stderr every {@link #PROGRESS_EVERY} while a fleet runs. */
    private static final class Progress implements LongConsumer, AutoCloseable {

        private final LongAdder scored = new LongAdder();
        private final ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "fleet-evaluation-progress");
            thread.setDaemon(true);
            return thread;
        });

        Progress(String name, long samples, PrintWriter err) {
            long started = System.nanoTime();
            printer.scheduleAtFixedRate(() -> {
                long done = scored.sum();
                double seconds = (System.nanoTime() - started) / 1e9;
                err.printf("%s: %.0f %% (%,d of %,d samples, %.2f M samples/s)%n", name, 100.0 * done / samples, done, samples,
                        done / seconds / 1e6);
                err.flush();
            }, PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void accept(long samples) {
            scored.add(samples);
        }

        @Override
        public void close() {
            printer.shutdownNow();
        }
    }
}
