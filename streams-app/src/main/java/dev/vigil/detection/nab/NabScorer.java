package dev.vigil.detection.nab;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Numenta Anomaly Benchmark's scoring, as shared/nab/README.md defines it and NAB's own sweeper
 * computes it.
 *
 * <p>Per file: the first {@code min(floor(0.15 n), 750)} rows are probation and not scored. A row inside
 * a window scores as a detection by its position: {@code s(-(R - i + 1) / W) * A_TP / s(-1)} with the
 * scaled sigmoid {@code s(y) = 2 / (1 + e^(5y)) - 1} ({@code -1} beyond {@code y > 3}); only the best
 * detection of a window counts, and a window without one costs {@code -A_FN}. A row outside every window
 * costs {@code -A_FP} before the first window and {@code s(|R_prev - i| / (W_prev - 1)) * A_FP} after one.
 *
 * <p>Across files: one threshold per detector and profile, swept over every distinct anomaly score to
 * maximise the summed raw score; the result is normalised to 100 for a perfect detector and 0 for one
 * that never fires.
 */
public final class NabScorer {

    private static final String PROBATION = "probationary";

    /** One scorable row: its anomaly score, what it is worth if detected, and its window (null outside). */
    record Point(double anomalyScore, double sweepScore, String window) {
    }

    /** The outcome for one profile. */
    public record Result(NabProfile profile, double threshold, double rawScore, double normalizedScore,
                         int truePositiveWindows, int windows, int falsePositives) {
    }

    /** A detector's output for one file: timestamps and anomaly scores, row for row. */
    public record FileScores(String name, List<LocalDateTime> timestamps, double[] anomalyScores, List<NabWindow> windows) {
        public FileScores {
            Objects.requireNonNull(name, "name can't be null");
            if (timestamps.size() != anomalyScores.length) {
                throw new IllegalArgumentException(name + ": " + timestamps.size() + " timestamps but " + anomalyScores.length + " scores");
            }
        }
    }

    private NabScorer() {
    }

    /** Scores a whole corpus under one profile: the best threshold, and the normalised score there. */
    public static Result score(List<FileScores> files, NabProfile profile) {
        List<Point> points = new ArrayList<>();
        int windows = 0;
        for (FileScores file : files) {
            points.addAll(sweep(file, profile));
            windows += file.windows().size();
        }
        points.removeIf(point -> PROBATION.equals(point.window()));
        points.sort(Comparator.comparingDouble(Point::anomalyScore).reversed());

        // Start from "nothing detected": every scorable window missed, no false positive.
        Map<String, Double> windowParts = new HashMap<>();
        for (Point point : points) {
            if (point.window() != null) {
                windowParts.put(point.window(), -profile.fnWeight());
            }
        }
        double total = windowParts.values().stream().mapToDouble(Double::doubleValue).sum();
        double bestScore = total;
        double bestThreshold = Double.POSITIVE_INFINITY;
        int falsePositives = 0;
        int bestFalsePositives = 0;
        Map<String, Double> bestParts = new HashMap<>(windowParts);
        int i = 0;
        while (i < points.size()) {
            double threshold = points.get(i).anomalyScore();
            while (i < points.size() && points.get(i).anomalyScore() == threshold) {
                Point point = points.get(i);
                if (point.window() == null) {
                    total += point.sweepScore();
                    falsePositives++;
                } else {
                    double previous = windowParts.get(point.window());
                    if (point.sweepScore() > previous) {
                        windowParts.put(point.window(), point.sweepScore());
                        total += point.sweepScore() - previous;
                    }
                }
                i++;
            }
            // Strictly better only: among equal scores NAB keeps the highest threshold.
            if (total > bestScore) {
                bestScore = total;
                bestThreshold = threshold;
                bestFalsePositives = falsePositives;
                bestParts = new HashMap<>(windowParts);
            }
        }
        double normalized = normalized(bestScore, windows, profile);
        int detected = (int) bestParts.values().stream().filter(part -> part > -profile.fnWeight()).count();
        return new Result(profile, bestThreshold, bestScore, normalized, detected, windows, bestFalsePositives);
    }

    /**
     * Scores a corpus under one profile at a threshold chosen elsewhere (on other data, for cross-validation):
     * rows scoring at least {@code threshold} are detections. The normalised score is over this corpus' windows;
     * for a corpus without windows it is 0 and the raw score says what the false positives cost.
     */
    public static Result scoreAt(List<FileScores> files, NabProfile profile, double threshold) {
        double total = 0;
        int windows = 0;
        int detected = 0;
        int falsePositives = 0;
        for (FileScores file : files) {
            windows += file.windows().size();
            Map<String, Double> best = new HashMap<>();
            for (Point point : sweep(file, profile)) {
                if (PROBATION.equals(point.window())) {
                    continue;
                }
                if (point.window() != null) {
                    double part = point.anomalyScore() >= threshold ? point.sweepScore() : -profile.fnWeight();
                    best.merge(point.window(), part, Math::max);
                } else if (point.anomalyScore() >= threshold) {
                    total += point.sweepScore();
                    falsePositives++;
                }
            }
            for (double part : best.values()) {
                total += part;
                if (part > -profile.fnWeight()) {
                    detected++;
                }
            }
        }
        return new Result(profile, threshold, total, normalized(total, windows, profile), detected, windows, falsePositives);
    }

    /** {@code 100 (S - S_null) / (S_perfect - S_null)}, and 0 for a corpus without windows. */
    public static double normalized(double rawScore, int windows, NabProfile profile) {
        if (windows == 0) {
            return 0;
        }
        double perfect = windows * profile.tpWeight();
        double none = -windows * profile.fnWeight();
        return 100 * (rawScore - none) / (perfect - none);
    }

    /** NAB's per-row worth for one file, probation rows marked. */
    static List<Point> sweep(FileScores file, NabProfile profile) {
        List<LocalDateTime> timestamps = file.timestamps();
        int n = timestamps.size();
        Map<LocalDateTime, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(timestamps.get(i), i);
        }
        List<NabWindow> pending = new ArrayList<>(file.windows());
        pending.sort(Comparator.comparing(NabWindow::start));
        double maxTruePositive = scaledSigmoid(-1.0);
        long probation = (long) Math.min(Math.floor(0.15 * n), 0.15 * 5000);
        List<Point> points = new ArrayList<>(n);
        String window = null;
        int windowRight = -1;
        double windowWidth = 0;
        int previousRight = -1;
        double previousWidth = 0;
        for (int i = 0; i < n; i++) {
            LocalDateTime time = timestamps.get(i);
            if (!pending.isEmpty() && time.equals(pending.get(0).start())) {
                NabWindow entered = pending.remove(0);
                Integer right = index.get(entered.end());
                if (right == null) {
                    throw new IllegalArgumentException(file.name() + ": window end " + entered.end() + " is not a row timestamp");
                }
                window = file.name() + "|" + entered.start();
                windowRight = right;
                windowWidth = right - i + 1;
            }
            double sweepScore;
            if (window != null) {
                sweepScore = scaledSigmoid(-(windowRight - i + 1) / windowWidth) * profile.tpWeight() / maxTruePositive;
            } else if (previousRight < 0) {
                sweepScore = -1.0 * profile.fpWeight();
            } else {
                sweepScore = scaledSigmoid(Math.abs(previousRight - i) / (previousWidth - 1)) * profile.fpWeight();
            }
            points.add(new Point(file.anomalyScores()[i], sweepScore, i >= probation ? window : PROBATION));
            if (window != null && i == windowRight) {
                previousRight = windowRight;
                previousWidth = windowWidth;
                window = null;
            }
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException(file.name() + ": window starting " + pending.get(0).start() + " matches no row timestamp");
        }
        return points;
    }

    /** {@code 2 / (1 + e^(5y)) - 1}, and {@code -1} beyond {@code y > 3}. */
    static double scaledSigmoid(double y) {
        if (y > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * y)) - 1.0;
    }
}
