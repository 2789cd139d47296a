package dev.vigil.detection.nab;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyScore;

/**
 * Replays a NAB corpus through the detector, writes NAB results files and scores them: the same
 * {@link AnomalyDetector} the streaming path runs, one fresh detector per file.
 */
public final class NabEvaluator {

    /** The detector's name in results paths: {@code <out>/vigil/<category>/vigil_<file>.csv}. */
    public static final String DETECTOR = "vigil";

    private NabEvaluator() {
    }

    /** Detects on every series, writing results under {@code out} when it is not null. */
    public static List<NabScorer.FileScores> detect(List<NabCorpus.Series> corpus, Map<String, List<NabWindow>> labels,
                                                    Supplier<AnomalyDetector> detectors, Path out) throws IOException {
        List<NabScorer.FileScores> scored = new ArrayList<>();
        for (NabCorpus.Series series : corpus) {
            AnomalyDetector detector = detectors.get();
            double[] scores = new double[series.values().length];
            for (int i = 0; i < scores.length; i++) {
                AnomalyScore score = detector.update(series.timestamps().get(i).toInstant(ZoneOffset.UTC).toEpochMilli(), series.values()[i]);
                scores[i] = score.score();
            }
            List<NabWindow> windows = labels.getOrDefault(series.key(), List.of());
            scored.add(new NabScorer.FileScores(series.key(), series.timestamps(), scores, windows));
            if (out != null) {
                write(out, series, scores, windows);
            }
        }
        return scored;
    }

    private static void write(Path out, NabCorpus.Series series, double[] scores, List<NabWindow> windows) throws IOException {
        String[] parts = series.key().split("/", 2);
        Path file = out.resolve(DETECTOR).resolve(parts[0]).resolve(DETECTOR + "_" + parts[1]);
        Files.createDirectories(file.getParent());
        try (BufferedWriter writer = Files.newBufferedWriter(file)) {
            writer.write("timestamp,value,anomaly_score,label\n");
            for (int i = 0; i < scores.length; i++) {
                var time = series.timestamps().get(i);
                boolean inWindow = windows.stream().anyMatch(w -> !time.isBefore(w.start()) && !time.isAfter(w.end()));
                writer.write(time.format(NabCorpus.TIMESTAMP) + "," + series.values()[i] + "," + scores[i] + "," + (inWindow ? 1 : 0) + "\n");
            }
        }
    }
}
