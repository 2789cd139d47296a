package dev.vigil.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.detection.nab.NabScorer;
import dev.vigil.detection.nab.NabWindow;

/**
 * Scores the detector on the simulator's ground truth the NAB way: every simulated series is a "file",
 * every injected anomaly a window, and {@link NabScorer} does the rest (probation, position-weighted
 * detections, one threshold for the fleet, the three profiles).
 *
 * <p>An injected anomaly's window is its span plus as much again after it (at least
 * {@value #MIN_TAIL_TICKS} ticks): NAB's labellers, too, give a detector room to notice, and a spike of
 * one sample would otherwise leave no time at all. Windows that then touch are merged.
 */
final class SimulatedFleetEvaluation {

    static final int MIN_TAIL_TICKS = 12;

    private SimulatedFleetEvaluation() {
    }

    /** Runs {@code ticks} ticks of the simulator through one detector per series; returns what to score. */
    static List<NabScorer.FileScores> run(FleetSimulator.Options options, int ticks) {
        FleetSimulator simulator = new FleetSimulator(options);
        Map<String, AnomalyDetector> detectors = new HashMap<>();
        Map<String, List<LocalDateTime>> times = new TreeMap<>();
        Map<String, List<Double>> scores = new HashMap<>();
        Map<String, List<InjectedAnomaly>> truth = new HashMap<>();
        for (int tick = 0; tick < ticks; tick++) {
            List<InjectedAnomaly> started = new ArrayList<>();
            for (MetricBatch batch : simulator.nextTick(started::add)) {
                long millis = batch.getCollectedAt().toEpochMilli();
                LocalDateTime time = LocalDateTime.ofInstant(batch.getCollectedAt(), ZoneOffset.UTC);
                for (Sample sample : batch.getSamples()) {
                    String series = key(batch.getHostId(), sample.getName(), sample.getLabels());
                    double score = detectors.computeIfAbsent(series, s -> new AnomalyDetector(DetectorSettings.DEFAULT))
                            .update(millis, sample.getValue()).score();
                    times.computeIfAbsent(series, s -> new ArrayList<>()).add(time);
                    scores.computeIfAbsent(series, s -> new ArrayList<>()).add(score);
                }
            }
            started.forEach(anomaly -> truth.computeIfAbsent(key(anomaly.getHostId(), anomaly.getMetric(), anomaly.getLabels()),
                    s -> new ArrayList<>()).add(anomaly));
        }
        List<NabScorer.FileScores> files = new ArrayList<>();
        for (Map.Entry<String, List<LocalDateTime>> series : times.entrySet()) {
            List<LocalDateTime> seriesTimes = series.getValue();
            double[] seriesScores = scores.get(series.getKey()).stream().mapToDouble(Double::doubleValue).toArray();
            List<NabWindow> windows = windows(truth.getOrDefault(series.getKey(), List.of()), options.interval(), seriesTimes);
            files.add(new NabScorer.FileScores(series.getKey(), seriesTimes, seriesScores, windows));
        }
        return files;
    }

    /** The windows of one series: each anomaly's span plus a tail, cut to the data, merged where they touch. */
    static List<NabWindow> windows(List<InjectedAnomaly> anomalies, Duration interval, List<LocalDateTime> times) {
        LocalDateTime last = times.get(times.size() - 1);
        List<NabWindow> windows = new ArrayList<>();
        anomalies.stream().sorted(Comparator.comparing(InjectedAnomaly::getStart)).forEach(anomaly -> {
            LocalDateTime start = LocalDateTime.ofInstant(anomaly.getStart(), ZoneOffset.UTC);
            Instant end = anomaly.getEnd();
            long spanTicks = Duration.between(anomaly.getStart(), end).dividedBy(interval) + 1;
            LocalDateTime padded = LocalDateTime.ofInstant(end.plus(interval.multipliedBy(Math.max(MIN_TAIL_TICKS, spanTicks))), ZoneOffset.UTC);
            LocalDateTime cut = padded.isAfter(last) ? last : padded;
            if (!windows.isEmpty() && !start.isAfter(windows.get(windows.size() - 1).end().plus(interval))) {
                NabWindow previous = windows.remove(windows.size() - 1);
                windows.add(new NabWindow(previous.start(), cut.isAfter(previous.end()) ? cut : previous.end()));
            } else if (!start.isAfter(last)) {
                windows.add(new NabWindow(start, cut));
            }
        });
        return windows;
    }

    private static String key(String host, String metric, Map<String, String> labels) {
        return host + "/" + metric + new TreeMap<>(labels);
    }
}
