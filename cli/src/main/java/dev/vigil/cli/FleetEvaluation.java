package dev.vigil.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.ObjIntConsumer;

import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulatedHost;
import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.prediction.BoundedMetric;
import dev.vigil.prediction.BoundedMetrics;
import dev.vigil.prediction.PredictedAlert;
import dev.vigil.prediction.SeriesPrediction;
import dev.vigil.streams.TopologySettings;
import dev.vigil.streams.alerts.AlertPolicy;
import dev.vigil.streams.alerts.HostAlert;
import dev.vigil.streams.alerts.HostAlertGrouping;
import dev.vigil.streams.alerts.SeriesAlert;

/**
 * Runs a simulated fleet offline through what the streams application runs on every sample, and records
 * every alert that opens: one {@link AnomalyDetector} per series with the application's default detector
 * settings, {@link SeriesAlert#observe} per sample with its default {@link AlertPolicy}, and after each host's
 * batch (one tick of one host) the host step, {@link HostAlertGrouping}; and for bounded series, each closed minute's
 * mean into {@link SeriesPrediction#minuteClosed}, the PREDICTED alerts. Nothing of Kafka is involved, so
 * the openings are those the application would send for the same samples, at the cost of the arithmetic.
 *
 * <p>Hosts are independent (the application keeps each host's state apart, too), so they are shared out
 * across threads; each host is one task that runs all its ticks with its series indexed by position and no
 * allocation per sample beyond what the detector does itself.
 */
final class FleetEvaluation {

    /** The collectors' interval, which the streams application scores at. */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /**
     * Midnight, so day 1 is a whole day; and the day the simulator's drifting series start their month (their
     * drift resets every 30 days since the epoch, a level shift of every trending series at once that a healthy
     * week must not contain).
     */
    static final Instant START = Instant.parse("2026-01-07T00:00:00Z");
    /** What the streams application runs with unless configured otherwise. */
    static final TopologySettings APPLICATION = TopologySettings.DEFAULT;
    /** Progress is reported per host every this many ticks (an hour at 10 s). */
    private static final int PROGRESS_TICKS = 360;

    /**
     * One evaluation's fleets.
     *
     * @param hosts         simulated hosts
     * @param seriesPerHost series per host
     * @param days          simulated days
     * @param seed          simulation seed; the fleet with anomalies has the same series as the healthy one
     * @param anomalyEvery  mean time between anomalies per series, in the fleet with anomalies
     */
    record Settings(int hosts, int seriesPerHost, int days, long seed, Duration anomalyEvery) {

        Settings {
            if (hosts < 1 || seriesPerHost < 1 || days < 1) {
                throw new IllegalArgumentException("hosts, series and days must be at least 1");
            }
            if (anomalyEvery.isNegative() || anomalyEvery.isZero()) {
                throw new IllegalArgumentException("the time between anomalies must be positive");
            }
        }

        FleetTimeline timeline() {
            return FleetTimeline.of(START, INTERVAL, days, DetectorSettings.DEFAULT.warmup(), hosts);
        }

        /** The fleet without anomalies. */
        FleetSimulator.Options healthy() {
            return new FleetSimulator.Options(hosts, seriesPerHost, seed, START, INTERVAL, Duration.ZERO, Duration.ZERO);
        }

        /** The same fleet with anomalies injected from the end of the warm-up on. */
        FleetSimulator.Options withAnomalies() {
            return new FleetSimulator.Options(hosts, seriesPerHost, seed, START, INTERVAL, anomalyEvery, timeline().warmUp());
        }
    }

    /** What one host did, to be merged in host order into the fleet's run. */
    private record HostRun(List<FleetRun.SeriesOpening> seriesOpenings, List<FleetRun.HostOpening> hostOpenings,
                           List<FleetRun.Anomaly> anomalies, List<FleetRun.PredictedOpening> predictedOpenings) {
    }

    private FleetEvaluation() {
    }

    /**
     * Runs the fleet {@code fleet} describes over {@code timeline}.
     *
     * @param threads  threads the hosts are shared out across
     * @param progress told, from the worker threads, of every batch of samples scored (thread-safe)
     */
    static FleetRun run(FleetSimulator.Options fleet, FleetTimeline timeline, int threads, LongConsumer progress) {
        return run(fleet, timeline, APPLICATION.alerts(), threads, progress);
    }

    /** As {@link #run(FleetSimulator.Options, FleetTimeline, int, LongConsumer)}, with another alert policy. */
    static FleetRun run(FleetSimulator.Options fleet, FleetTimeline timeline, AlertPolicy policy, int threads, LongConsumer progress) {
        if (fleet.hosts() != timeline.hosts() || fleet.interval().toMillis() != timeline.interval()
                || fleet.start().toEpochMilli() != timeline.start()) {
            throw new IllegalArgumentException("the timeline is not the fleet's: " + timeline + " against " + fleet);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        AtomicInteger workers = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "fleet-evaluation-" + workers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<HostRun>> hosts = new ArrayList<>(fleet.hosts());
            for (int host = 0; host < fleet.hosts(); host++) {
                int index = host;
                hosts.add(pool.submit(() -> runHost(fleet, index, timeline, policy, progress)));
            }
            List<FleetRun.SeriesOpening> seriesOpenings = new ArrayList<>();
            List<FleetRun.HostOpening> hostOpenings = new ArrayList<>();
            List<FleetRun.Anomaly> anomalies = new ArrayList<>();
            List<FleetRun.PredictedOpening> predictedOpenings = new ArrayList<>();
            for (Future<HostRun> host : hosts) {
                HostRun one = await(host);
                seriesOpenings.addAll(one.seriesOpenings());
                hostOpenings.addAll(one.hostOpenings());
                anomalies.addAll(one.anomalies());
                predictedOpenings.addAll(one.predictedOpenings());
            }
            return new FleetRun(timeline, fleet.metricsPerHost(), seriesOpenings, hostOpenings, anomalies, predictedOpenings);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many series of each host of {@code fleet} are watched for running out. */
    static int boundedSeries(FleetSimulator.Options fleet) {
        return new MinuteWatch(SimulatedHost.of(fleet, 0), 0).series.length;
    }

    private static HostRun await(Future<HostRun> host) {
        try {
            return host.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating the fleet", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** One host, every tick: what the streams application's HostBatchProcessor does with its batches, less the I/O. */
    private static HostRun runHost(FleetSimulator.Options fleet, int hostIndex, FleetTimeline timeline, AlertPolicy policy,
                                   LongConsumer progress) {
        SimulatedHost host = SimulatedHost.of(fleet, hostIndex);
        int seriesCount = host.seriesCount();
        AnomalyDetector[] detectors = new AnomalyDetector[seriesCount];
        SeriesAlert[] alerts = new SeriesAlert[seriesCount];
        for (int i = 0; i < seriesCount; i++) {
            detectors[i] = new AnomalyDetector(DetectorSettings.DEFAULT);
            alerts[i] = new SeriesAlert();
        }
        List<SeriesAlert> allAlerts = Arrays.asList(alerts);
        HostAlert hostAlert = new HostAlert();
        double[] values = new double[seriesCount];
        List<SeriesAlert> opened = new ArrayList<>(seriesCount);
        int[] openedIndex = new int[seriesCount];
        List<FleetRun.SeriesOpening> seriesOpenings = new ArrayList<>();
        List<FleetRun.HostOpening> hostOpenings = new ArrayList<>();
        List<FleetRun.Anomaly> anomalies = new ArrayList<>();
        MinuteWatch watch = new MinuteWatch(host, hostIndex);
        // Called before the tick's samples are scored, so an open alert is one opened before the anomaly.
        ObjIntConsumer<InjectedAnomaly> truth = (anomaly, series) -> anomalies.add(new FleetRun.Anomaly(hostIndex, series,
                anomaly.getKind(), anomaly.getStart().toEpochMilli(), anomaly.getEnd().toEpochMilli(), alerts[series].isOpen()));
        for (long tick = 0; tick < timeline.ticks(); tick++) {
            long time = host.nextTimeMillis();
            host.nextTick(values, truth);
            opened.clear();
            int openedCount = 0;
            watch.add(time, values);
            for (int i = 0; i < seriesCount; i++) {
                double score = detectors[i].update(time, values[i]).score();
                if (alerts[i].observe(time, score, policy) == SeriesAlert.Transition.OPENED) {
                    opened.add(alerts[i]);
                    openedIndex[openedCount++] = i;
                }
            }
            HostAlertGrouping.Outcome outcome = HostAlertGrouping.afterBatch(hostAlert, allAlerts, opened, Function.identity(), time, policy);
            for (int k = 0; k < openedCount; k++) {
                seriesOpenings.add(new FleetRun.SeriesOpening(hostIndex, openedIndex[k], time, outcome.openedAnnounced()));
            }
            if (outcome.hostAlert() == HostAlert.Transition.OPENED) {
                hostOpenings.add(new FleetRun.HostOpening(hostIndex, time, openSeries(alerts)));
            }
            if ((tick + 1) % PROGRESS_TICKS == 0 || tick + 1 == timeline.ticks()) {
                progress.accept((long) seriesCount * ((tick % PROGRESS_TICKS) + 1));
            }
        }
        return new HostRun(seriesOpenings, hostOpenings, anomalies, watch.openings);
    }

    /**
     * The bounded series of one host (those with a fixed ceiling, {@link BoundedMetrics}) and their PREDICTED alerts: minute
     * means into {@link SeriesPrediction#minuteClosed}, as the streams application's rollup windows feed them.
     */
    private static final class MinuteWatch {

        private static final long MINUTE = 60_000;

        private final int hostIndex;
        private final int[] series;
        private final double[] ceilings;
        private final SeriesPrediction[] predictions;
        private final double[] sums;
        private final int[] counts;
        private long minuteStart = -1;
        final List<FleetRun.PredictedOpening> openings = new ArrayList<>();

        MinuteWatch(SimulatedHost host, int hostIndex) {
            this.hostIndex = hostIndex;
            List<Integer> bounded = new ArrayList<>();
            for (int i = 0; i < host.seriesCount(); i++) {
                if (BoundedMetrics.of(host.metric(i)).filter(metric -> metric.limitMetric().isEmpty()).isPresent()) {
                    bounded.add(i);
                }
            }
            series = bounded.stream().mapToInt(Integer::intValue).toArray();
            ceilings = new double[series.length];
            predictions = new SeriesPrediction[series.length];
            for (int k = 0; k < series.length; k++) {
                BoundedMetric metric = BoundedMetrics.of(host.metric(series[k])).orElseThrow();
                ceilings[k] = metric.ceiling();
                predictions[k] = SeriesPrediction.of(metric);
            }
            sums = new double[series.length];
            counts = new int[series.length];
        }

        void add(long time, double[] values) {
            long start = time - Math.floorMod(time, MINUTE);
            if (minuteStart >= 0 && start != minuteStart) {
                for (int k = 0; k < series.length; k++) {
                    if (counts[k] > 0 && predictions[k].minuteClosed(minuteStart, sums[k] / counts[k], ceilings[k], APPLICATION.prediction(),
                            APPLICATION.alerts().updateEvery()) == PredictedAlert.Transition.OPENED) {
                        openings.add(new FleetRun.PredictedOpening(hostIndex, series[k], minuteStart + MINUTE));
                    }
                    sums[k] = 0;
                    counts[k] = 0;
                }
            }
            minuteStart = start;
            for (int k = 0; k < series.length; k++) {
                sums[k] += values[series[k]];
                counts[k]++;
            }
        }
    }

    private static List<Integer> openSeries(SeriesAlert[] alerts) {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < alerts.length; i++) {
            if (alerts[i].isOpen()) {
                open.add(i);
            }
        }
        return open;
    }
}
