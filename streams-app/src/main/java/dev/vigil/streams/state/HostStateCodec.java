package dev.vigil.streams.state;

import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyReason;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.DailyProfile;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.prediction.BoundedMetric;
import dev.vigil.prediction.BoundedMetrics;
import dev.vigil.prediction.SeriesPrediction;
import dev.vigil.streams.alerts.HostAlert;
import dev.vigil.streams.alerts.SeriesAlert;

/**
 * The binary layout of {@link HostState} in the state store and its changelog. A leading version byte lets
 * a later release read what an earlier one wrote; a state it cannot read is refused with the reason, never
 * guessed at. Hand-written rather than Avro because it is written once per batch on the hot path and never
 * leaves the application.
 */
public final class HostStateCodec {

    /**
     * Version byte of the layout; bump it, and keep reading the old ones, when the layout changes. Version 4 added
     * the prediction of bounded series ({@link SeriesState#prediction()}); version 3 is read with fresh predictions.
     * Version 3 added each score's reason and the sample behind a series' alert ({@link SeriesState#peak()}); version 2
     * is read as scores without a reason and alerts whose reason was not recorded.
     */
    public static final byte VERSION = 4;
    /** The layout before predictions, still read so that an upgrade keeps what the detectors learned. */
    static final byte VERSION_WITHOUT_PREDICTIONS = 3;
    /** The layout before reasons. */
    static final byte VERSION_WITHOUT_REASONS = 2;

    /** Stands in for the bounds of a metric whose stored prediction this build no longer keeps. */
    private static final BoundedMetric UNBOUNDED = new BoundedMetric("unbounded", 1, Optional.empty(), Optional.empty(),
            "", "");

    private final DetectorSettings detectorSettings;

    public HostStateCodec(DetectorSettings detectorSettings) {
        this.detectorSettings = Objects.requireNonNull(detectorSettings, "detectorSettings can't be null");
    }

    public byte[] encode(HostState host) {
        // Room for a few bounded series' predictions too; a host with more is encoded again in a larger buffer.
        int capacity = 256 + host.seriesCount() * (AnomalyDetector.CORE_BYTES + 512) + 8 * SeriesPrediction.BYTES;
        while (true) {
            try {
                ByteBuffer out = ByteBuffer.allocate(capacity);
                write(host, out);
                byte[] bytes = new byte[out.position()];
                out.flip().get(bytes);
                return bytes;
            } catch (BufferOverflowException e) {
                capacity *= 2; // long labels: try again with room to spare
            }
        }
    }

    /**
     * @param profiles where the series' daily profiles are (they are not part of the host state)
     * @throws IllegalArgumentException naming the problem, for a state of another version or a damaged one
     */
    public HostState decode(byte[] bytes, DailyProfilePages profiles) {
        Objects.requireNonNull(bytes, "bytes can't be null");
        if (bytes.length == 0 || bytes[0] < VERSION_WITHOUT_REASONS || bytes[0] > VERSION) {
            throw new IllegalArgumentException("host state has layout version " + (bytes.length == 0 ? "none" : bytes[0])
                    + "; this build reads versions " + VERSION_WITHOUT_REASONS + " to " + VERSION);
        }
        boolean withReasons = bytes[0] >= VERSION_WITHOUT_PREDICTIONS;
        boolean withPredictions = bytes[0] >= VERSION;
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            Map<String, String> hostLabels = readLabels(in);
            HostAlert hostAlert = HostAlert.readFrom(in);
            long closeIndexedAt = in.getLong();
            int count = in.getInt();
            Map<SeriesKey, SeriesState> series = new LinkedHashMap<>(Math.max(16, count * 2));
            for (int i = 0; i < count; i++) {
                SeriesState state = readSeries(in, profiles.forSeries(i), withReasons, withPredictions);
                series.put(state.key(), state);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("host state has " + in.remaining() + " bytes after its last series");
            }
            return new HostState(hostLabels, hostAlert, closeIndexedAt, series);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("host state is truncated (" + bytes.length + " bytes)", e);
        }
    }

    private static void write(HostState host, ByteBuffer out) {
        out.put(VERSION);
        writeLabels(host.hostLabels(), out);
        host.hostAlert().writeTo(out);
        out.putLong(host.closeIndexedAt());
        out.putInt(host.seriesCount());
        for (SeriesState series : host.allSeries()) {
            writeString(series.key().metric(), out);
            writeLabels(series.key().labels(), out);
            writeString(series.seriesId(), out);
            out.putLong(series.lastTimestamp()).putDouble(series.lastValue());
            AnomalyScore score = series.lastScore();
            out.put((byte) (score == null ? 0 : 1));
            if (score != null) {
                writeScore(score, out);
            }
            writeWindow(series.minute(), out);
            writeWindow(series.hour(), out);
            series.alert().writeTo(out);
            ScoredSample peak = series.peak();
            out.put((byte) (peak == null ? 0 : 1));
            if (peak != null) {
                out.putLong(peak.timestamp()).putDouble(peak.value());
                writeScore(peak.score(), out);
            }
            byte[] detector = series.detector().coreToBytes(); // the daily profile is kept in DailyProfilePages
            out.putInt(detector.length).put(detector);
            SeriesPrediction prediction = series.prediction();
            out.put((byte) (prediction == null ? 0 : 1));
            if (prediction != null) {
                prediction.writeTo(out);
            }
        }
    }

    private SeriesState readSeries(ByteBuffer in, DailyProfile profile, boolean withReasons, boolean withPredictions) {
        String metric = readString(in);
        Map<String, String> labels = readLabels(in);
        String seriesId = readString(in);
        long lastTimestamp = in.getLong();
        double lastValue = in.getDouble();
        AnomalyScore score = in.get() == 1 ? readScore(in, withReasons) : null;
        WindowAccumulator minute = readWindow(in);
        WindowAccumulator hour = readWindow(in);
        SeriesAlert alert = SeriesAlert.readFrom(in);
        ScoredSample peak = withReasons && in.get() == 1 ? new ScoredSample(in.getLong(), in.getDouble(), readScore(in, true)) : null;
        byte[] detector = new byte[in.getInt()];
        in.get(detector);
        SeriesState state = new SeriesState(SeriesKey.ofSorted(metric, labels), seriesId,
                AnomalyDetector.fromCore(detector, profile, detectorSettings), alert);
        if (score != null) {
            state.recordScored(lastTimestamp, lastValue, score);
        }
        if (withPredictions && in.get() == 1) {
            // A metric that is no longer bounded still has its prediction read past, and then dropped.
            BoundedMetric bounded = BoundedMetrics.of(metric).orElse(null);
            SeriesPrediction prediction = SeriesPrediction.readFrom(in, bounded == null ? UNBOUNDED : bounded);
            state.prediction(bounded == null ? null : prediction);
        }
        state.peak(peak);
        state.minute(minute);
        state.hour(hour);
        return state;
    }

    /** The reason by name, so that reordering the enum cannot change what a stored state means; NONE costs two bytes. */
    private static void writeScore(AnomalyScore score, ByteBuffer out) {
        out.putDouble(score.expected()).putDouble(score.lower()).putDouble(score.upper()).putDouble(score.score())
                .put((byte) (score.learning() ? 1 : 0));
        boolean hasReason = score.reason() != AnomalyReason.NONE;
        writeString(hasReason ? score.reason().name() : "", out);
        if (hasReason) {
            out.putDouble(score.observed()).putDouble(score.usualLow()).putDouble(score.usualHigh()).putDouble(score.basis());
        }
    }

    private static AnomalyScore readScore(ByteBuffer in, boolean withReason) {
        double expected = in.getDouble();
        double lower = in.getDouble();
        double upper = in.getDouble();
        double score = in.getDouble();
        boolean learning = in.get() == 1;
        String reason = withReason ? readString(in) : "";
        if (reason.isEmpty()) {
            return new AnomalyScore(expected, lower, upper, score, learning);
        }
        AnomalyReason known;
        try {
            known = AnomalyReason.valueOf(reason);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host state names an anomaly reason this build does not know: '" + reason + "'", e);
        }
        return new AnomalyScore(expected, lower, upper, score, learning, known, in.getDouble(), in.getDouble(), in.getDouble(),
                in.getDouble());
    }

    private static void writeWindow(WindowAccumulator window, ByteBuffer out) {
        out.put((byte) (window == null ? 0 : 1));
        if (window != null) {
            window.writeTo(out);
        }
    }

    private static WindowAccumulator readWindow(ByteBuffer in) {
        return in.get() == 1 ? WindowAccumulator.readFrom(in) : null;
    }

    private static void writeLabels(Map<String, String> labels, ByteBuffer out) {
        out.putShort((short) labels.size());
        labels.forEach((name, value) -> {
            writeString(name, out);
            writeString(value, out);
        });
    }

    private static Map<String, String> readLabels(ByteBuffer in) {
        int count = in.getShort() & 0xFFFF;
        if (count == 0) {
            return Map.of();
        }
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            labels.put(readString(in), readString(in));
        }
        return labels;
    }

    private static void writeString(String text, ByteBuffer out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String readString(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xFFFF];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
