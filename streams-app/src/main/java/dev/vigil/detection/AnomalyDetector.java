package dev.vigil.detection;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Online anomaly detection for one series, one sample at a time, in O(1) time and about 2.4 KB of state.
 *
 * <p>The forecast is an exponentially smoothed level plus an additive daily profile learned per
 * five-minute slot of the day (Holt-Winters style). Three kinds of evidence, each in units of the series'
 * own spread:
 * <ul>
 *   <li><b>surprise</b>: the residual against the forecast, over the smoothed absolute residual (spikes,
 *       dips);</li>
 *   <li><b>level shift</b>: the short-term mean against the long-term mean, over the long-term standard
 *       deviation (steps, slow leaks once they add up);</li>
 *   <li><b>volatility change</b>: the log ratio of short- to long-term variance (a noisy series gone
 *       flat or stuck, a quiet one gone wild).</li>
 * </ul>
 * The strongest is the raw score. Raw scores mean different things on different series, so, as HTM's
 * anomaly likelihood does, the detector learns the distribution of its own raw scores and reports how
 * unusual the latest ones are against it: a score near 1 means "rarer than anything this series usually
 * does", which lets one threshold serve every series. What still scores high every day at the same time
 * (a nightly backup, a square wave's edge) is discounted, and after a strong score the detector stays
 * quiet while the same event plays out. docs/detection.md explains the parameters and the measurements.
 */
public final class AnomalyDetector {

    private static final double NORMAL_MAD_TO_SIGMA = 1.2533; // E|X| = sigma * sqrt(2/pi) for a normal X
    private static final double RAW_CAP = 50;
    /** Five-minute slots of the day, for the daily profile and the scores that recur daily. */
    private static final int DAILY_SLOTS = 288;
    private static final long SLOT_MILLIS = 300_000;

    /** Version byte of {@link #toBytes()}; bump it and keep reading the old layout when the state changes. */
    public static final byte STATE_VERSION = 1;
    /**
     * Size of the serialised state: version, count, nine running statistics, the quiet counter, and per
     * daily slot the profile offset and the usual score.
     */
    public static final int STATE_BYTES = 1 + Long.BYTES + 9 * Double.BYTES + Integer.BYTES + 2 * DAILY_SLOTS * Float.BYTES;

    private final DetectorSettings settings;

    private long count;
    private double level;
    private double meanAbsResidual;
    private double longMean;
    private double longVar;
    private double shortMean;
    private double shortVar;
    private double rawMean;
    private double rawVar;
    private double recentRaw;
    private int quietFor;
    private double quietLevel;
    private final double[] maxFeat = new double[4];
    private double sustained;
    private final long[] seen = new long[4096 / 64];
    private int ctx;
    private double novel;
    private double minSeen = Double.POSITIVE_INFINITY;
    private double maxSeen = Double.NEGATIVE_INFINITY;
    private final float[] dailyScore = new float[DAILY_SLOTS];
    private final float[] seasonal = new float[DAILY_SLOTS];

    public AnomalyDetector(DetectorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings can't be null");
    }

    /**
     * Scores the sample taken at {@code timestampMillis} and learns from it.
     *
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    public AnomalyScore update(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, got " + value);
        }
        int slot = (int) Math.floorMod(timestampMillis / SLOT_MILLIS, (long) DAILY_SLOTS);
        if (count == 0) {
            level = value;
            longMean = value;
            shortMean = value;
        }
        // Additive daily profile, Holt-Winters style: the forecast is the level plus this time of day's offset.
        double season = seasonal[slot];
        double expected = level + season;
        double spread = spread();
        double residual = value - expected;
        seasonal[slot] += (float) (settings.seasonalAlpha() * (value - level - season));
        double deseasonalized = value - season; // the rest of the model sees the series without its daily shape

        double surprise = Math.abs(residual) / spread;
        double longSd = Math.sqrt(longVar) + floor();
        double shift = Math.abs(shortMean - longMean) / longSd;
        double volatility = Math.abs(Math.log((shortVar + floor() * floor()) / (longVar + floor() * floor()))) / 2;
        double raw = Math.min(RAW_CAP, Math.max(surprise, Math.max(shift, volatility)));
        // What this time of day usually scores, give or take five minutes.
        double usual = Math.max(dailyScore[slot],
                Math.max(dailyScore[(slot + 1) % DAILY_SLOTS], dailyScore[(slot + DAILY_SLOTS - 1) % DAILY_SLOTS]));

        double spatial = 0;
        if (maxSeen > minSeen) {
            double excess = Math.max(value - maxSeen, minSeen - value) / (maxSeen - minSeen);
            if (excess > 0) spatial = Math.min(1, 0.8 + settings.spatialTolerance() * excess);
        }
        if (maxSeen > minSeen) {
            int L = settings.levels();
            int q = (int) Math.min(L - 1, Math.max(0, Math.floor((value - minSeen) / (maxSeen - minSeen) * L)));
            ctx = (ctx * L + q) % (L * L * L * L);
            boolean isNew = (seen[ctx >>> 6] & (1L << (ctx & 63))) == 0;
            seen[ctx >>> 6] |= 1L << (ctx & 63);
            novel += settings.novelAlpha() * ((isNew ? 1 : 0) - novel);
        }
        if (count > 0) {
            double rd = settings.rangeDecay();
            minSeen += rd * (longMean - minSeen);
            maxSeen += rd * (longMean - maxSeen);
        }
        minSeen = Math.min(minSeen, value);
        maxSeen = Math.max(maxSeen, value);
        learn(deseasonalized, residual, raw);
        count++;

        boolean learning = count <= settings.warmup();
        double score;
        if (settings.mode() >= 1) {
            sustained += settings.sustainAlpha() * (Math.min(RAW_CAP, residual / spread) - sustained);
            double[] feat = {surprise, shift, volatility, Math.abs(sustained)};
            double r = 0;
            double d = settings.recordDecay();
            for (int k = 0; k < 4; k++) {
                if ((settings.featMask() & (1 << k)) != 0) r = Math.max(r, feat[k] / (maxFeat[k] + 1e-9));
                maxFeat[k] = Math.max(feat[k], maxFeat[k] * d);
            }
            score = learning ? 0 : Math.min(1, r / 2);
            if (settings.mode() == 2 && !learning) score = Math.sqrt(score * likelihood());
            if (settings.mode() == 3 && !learning) score = Math.max(score, likelihood());
        } else {
            score = learning ? 0 : likelihood();
        }
        // What happens at this time every day is not news: discount what this time of day usually scores.
        double undiscounted = score;
        score = Math.max(0, score - settings.dailyDiscount() * usual);
        dailyScore[slot] += (float) (settings.dailyAlpha() * (undiscounted - dailyScore[slot]));
        score *= settings.otherScale();
        if (!learning) score = Math.max(score, settings.novelScale() * novel);
        if (!learning) score = Math.max(score * 0.8, spatial);
        // One anomaly, one report: after a strong score, stay quiet while the same event plays out.
        if (quietFor > 0 && score <= quietLevel) {
            quietFor--;
            score = 0;
        } else if (score >= settings.alertLevel()) {
            quietFor = settings.suppression();
            quietLevel = score;
        }
        double half = settings.intervalWidth() * spread;
        return new AnomalyScore(expected, expected - half, expected + half, score, learning);
    }

    private void learn(double value, double residual, double raw) {
        double a = count == 0 ? 1 : settings.levelAlpha();
        level += a * (value - level);
        meanAbsResidual += (count == 0 ? 1 : settings.spreadAlpha()) * (Math.abs(residual) - meanAbsResidual);

        double longAlpha = Math.max(settings.longAlpha(), 1.0 / (count + 1));
        double longDelta = value - longMean;
        longMean += longAlpha * longDelta;
        longVar = (1 - longAlpha) * (longVar + longAlpha * longDelta * longDelta);

        double shortAlpha = Math.max(settings.shortAlpha(), 1.0 / (count + 1));
        double shortDelta = value - shortMean;
        shortMean += shortAlpha * shortDelta;
        shortVar = (1 - shortAlpha) * (shortVar + shortAlpha * shortDelta * shortDelta);

        double logRaw = Math.log1p(raw);
        recentRaw += (count == 0 ? 1 : settings.rawRecentAlpha()) * (logRaw - recentRaw);
        double rawAlpha = Math.max(settings.rawHistoryAlpha(), 1.0 / (count + 1));
        double rawDelta = logRaw - rawMean;
        rawMean += rawAlpha * rawDelta;
        rawVar = (1 - rawAlpha) * (rawVar + rawAlpha * rawDelta * rawDelta);
    }

    /** The series' learned state, for a state store: {@value #STATE_BYTES} bytes, versioned. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(STATE_BYTES);
        buffer.put(STATE_VERSION).putLong(count)
                .putDouble(level).putDouble(meanAbsResidual).putDouble(longMean).putDouble(longVar)
                .putDouble(shortMean).putDouble(shortVar).putDouble(rawMean).putDouble(rawVar).putDouble(recentRaw)
                .putInt(quietFor);
        for (int i = 0; i < DAILY_SLOTS; i++) {
            buffer.putFloat(seasonal[i]).putFloat(dailyScore[i]);
        }
        return buffer.array();
    }

    /**
     * A detector that carries on where the one that wrote {@code state} left off.
     *
     * @throws IllegalArgumentException naming the problem, for a state of unknown version or wrong size
     */
    public static AnomalyDetector fromBytes(byte[] state, DetectorSettings settings) {
        Objects.requireNonNull(state, "state can't be null");
        if (state.length == 0 || state[0] != STATE_VERSION) {
            throw new IllegalArgumentException("detector state has version " + (state.length == 0 ? "none" : state[0])
                    + "; this build reads version " + STATE_VERSION);
        }
        if (state.length != STATE_BYTES) {
            throw new IllegalArgumentException("detector state of version " + STATE_VERSION + " has " + STATE_BYTES
                    + " bytes, got " + state.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(state, 1, state.length - 1);
        AnomalyDetector detector = new AnomalyDetector(settings);
        detector.count = buffer.getLong();
        detector.level = buffer.getDouble();
        detector.meanAbsResidual = buffer.getDouble();
        detector.longMean = buffer.getDouble();
        detector.longVar = buffer.getDouble();
        detector.shortMean = buffer.getDouble();
        detector.shortVar = buffer.getDouble();
        detector.rawMean = buffer.getDouble();
        detector.rawVar = buffer.getDouble();
        detector.recentRaw = buffer.getDouble();
        detector.quietFor = buffer.getInt();
        for (int i = 0; i < DAILY_SLOTS; i++) {
            detector.seasonal[i] = buffer.getFloat();
            detector.dailyScore[i] = buffer.getFloat();
        }
        return detector;
    }

    /** How unusual the recent raw scores are against all of this series' raw scores, in [0, 1]. */
    private double likelihood() {
        double sd = Math.sqrt(rawVar) + 1e-3;
        double z = (recentRaw - rawMean) / sd;
        double tail = 0.5 * erfc(z / Math.sqrt(2));
        // HTM's log scaling: spreads the top of the range, where the decisions are.
        return Math.min(1.0, Math.log(1.0000000001 - (1 - tail)) / Math.log(1.0 - 0.9999999999));
    }

    private double spread() {
        return NORMAL_MAD_TO_SIGMA * meanAbsResidual + floor();
    }

    /** A spread below which differences are noise: relative to the series' size, never zero. */
    private double floor() {
        return 1e-3 * Math.abs(longMean) + 1e-9;
    }

    /** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886187 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
