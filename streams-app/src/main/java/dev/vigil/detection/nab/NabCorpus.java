package dev.vigil.detection.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads NAB's formats: data files {@code <dir>/<category>/<file>.csv} ({@code timestamp,value}), the
 * label file of windows keyed {@code "<category>/<file>.csv"}, and results files
 * ({@code timestamp,value,anomaly_score,label}).
 */
public final class NabCorpus {

    /** NAB writes {@code 2015-08-31 18:22:00}, labels add {@code .000000}. */
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private static final ObjectMapper JSON = new ObjectMapper();

    private NabCorpus() {
    }

    /** One data series: its key ({@code category/file.csv}), timestamps and values. */
    public record Series(String key, List<LocalDateTime> timestamps, double[] values) {
    }

    /** Every data file under {@code dataDir}, by key, in key order. */
    public static List<Series> readData(Path dataDir) throws IOException {
        List<Series> series = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".csv")).sorted().toList()) {
                series.add(readColumn(dataDir.relativize(file).toString().replace('\\', '/'), file, 1));
            }
        }
        return series;
    }

    /** The windows of every file in a NAB label file, by key. */
    public static Map<String, List<NabWindow>> readLabels(Path labelsFile) throws IOException {
        JsonNode root = JSON.readTree(labelsFile.toFile());
        Map<String, List<NabWindow>> labels = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            List<NabWindow> windows = new ArrayList<>();
            for (JsonNode window : entry.getValue()) {
                windows.add(new NabWindow(parseTime(window.get(0).asText(), labelsFile), parseTime(window.get(1).asText(), labelsFile)));
            }
            labels.put(entry.getKey(), windows);
        }
        return labels;
    }

    /**
     * A detector's published results for every labelled file: {@code <resultsDir>/<category>/<detector>_<file>.csv}.
     */
    public static List<NabScorer.FileScores> readResults(Path resultsDir, String detector, Map<String, List<NabWindow>> labels)
            throws IOException {
        List<NabScorer.FileScores> files = new ArrayList<>();
        for (Map.Entry<String, List<NabWindow>> label : labels.entrySet()) {
            String[] parts = label.getKey().split("/", 2);
            // Results files repeat the data's timestamp and value; the score is the third column.
            Series scores = readColumn(label.getKey(), resultsDir.resolve(parts[0]).resolve(detector + "_" + parts[1]), 2);
            files.add(new NabScorer.FileScores(label.getKey(), scores.timestamps(), scores.values(), label.getValue()));
        }
        return files;
    }

    /** The timestamps of a NAB CSV file and the numbers in one of its columns. */
    private static Series readColumn(String key, Path file, int column) throws IOException {
        List<String[]> rows = readCsv(file);
        List<LocalDateTime> timestamps = new ArrayList<>(rows.size());
        double[] values = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            timestamps.add(parseTime(rows.get(i)[0], file));
            values[i] = Double.parseDouble(rows.get(i)[column]);
        }
        return new Series(key, timestamps, values);
    }

    static LocalDateTime parseTime(String text, Path where) {
        try {
            return LocalDateTime.parse(text.strip(), TIMESTAMP);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a NAB timestamp (yyyy-MM-dd HH:mm:ss)", e);
        }
    }

    /** Rows after the header, split on commas (NAB files hold no quoted fields). */
    private static List<String[]> readCsv(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            List<String[]> rows = new ArrayList<>();
            String header = in.readLine();
            if (header == null) {
                return rows;
            }
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
            return rows;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
