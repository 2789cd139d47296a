package dev.vigil.detection;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Online anomaly detection for one series, one sample at a time, in O(1) time and about 3 KB of state.
 *
 * <p>The detector asks one question in several ways: <i>has this series ever done this before?</i> Each way is a
 * test that compares the sample with the most extreme of what the series did before in some view, and says how
 * surprising going beyond it is, in nats (-ln of a probability), on one scale for every test and every series:
 * <ol>
 *   <li><b>Range breakout</b>: beyond every value the series has taken.</li>
 *   <li><b>Stuck</b> (once per run): the same value repeated for longer than the series ever repeated itself and
 *       improbably often for how often it repeats values ({@code stuckNats}).</li>
 *   <li><b>Time of day</b>: inside the range, but beyond everything read at this hour, give or take
 *       {@code contextHours}, once {@code contextDays} of data are in.</li>
 *   <li><b>Transition</b>: beyond everything that ever followed a value like the previous one (the previous value's
 *       bin on a coarse grid fixed once the first day is in).</li>
 *   <li><b>Evidence records</b>: four statistics in units of the series' own spread (the residual against a
 *       forecast of level plus daily profile, the same residual signed and smoothed, the short- against the
 *       long-term mean, the short- against the long-term variance), each against its own fading record.</li>
 * </ol>
 * The surprise of going beyond is peaks over threshold, per series and per test ({@link ExceedanceTails}): the
 * chance of being the most extreme of n + 1 exchangeable values or, if more, how often this series has lately gone
 * beyond in this test;
 * times the chance of going as far, from a generalized Pareto tail fitted to how far its own exceedances went. So
 * a series that keeps setting records (a filling disk, heavy-tailed traffic) is not news when it sets another,
 * while one that never did is. The tails learn from what the series ordinarily does, not from the events it
 * reports, so that one incident does not make the next look ordinary. The tests other than the first two are built
 * from fewer and autocorrelated values, so their surprise is weighted ({@link DetectorSettings}). The score is the
 * largest weighted surprise over {@value #NATS_AT_FULL_SCORE} nats, capped at 1, and the test behind it is the
 * score's {@link AnomalyReason}. After a report the detector stays quiet for a while unless something scores higher still,
 * so that one event is one report. docs/detection.md explains the method, the parameters and the measurements.
 */
public final class AnomalyDetector {

    private static final double NORMAL_MAD_TO_SIGMA = 1.2533; // E|X| = sigma * sqrt(2/pi) for a normal X
    private static final double RAW_CAP = 50;
    /** Surprise, in nats, that scores 1: one in 10^13. Scores are surprise on a linear scale up to it. */
    static final double NATS_AT_FULL_SCORE = 30;
    private static final int EVIDENCE_KINDS = 4;
    /** What each kind of evidence is called in a score's reason, in the order of {@code record}. */
    private static final AnomalyReason[] EVIDENCE_REASONS = {AnomalyReason.FORECAST_DEVIATION,
        AnomalyReason.SUSTAINED_DEVIATION, AnomalyReason.LEVEL_SHIFT, AnomalyReason.VOLATILITY_CHANGE};
    /** The tests that learn how far their exceedances go: indexes into {@code excessSum} and {@code excessWeight}. */
    private static final int BREAKOUT = 0;
    private static final int TIME_OF_DAY = 1;
    private static final int TRANSITION = 2;
    private static final int FIRST_EVIDENCE = 3;
    private static final int EXCEEDANCE_TESTS = FIRST_EVIDENCE + EVIDENCE_KINDS;
    /** Weight of a new sample in the rate at which the series repeats its previous value. */
    private static final double REPEAT_ALPHA = 0.005;
    /** Five-minute slots of the day, for the daily profile and the scores that recur daily. */
    private static final int DAILY_SLOTS = DailyProfile.SLOTS;
    private static final int HOURS = DailyProfile.HOURS;
    private static final long DAY_MILLIS = 86_400_000L;

    /** Version byte of {@link #toBytes()}; bump it when the state changes. Version 1 is refused. */
    public static final byte STATE_VERSION = 5;
    /** The previous version, which {@link #fromBytes} and {@link #fromCore} still read. */
    static final byte PREVIOUS_STATE_VERSION = 4;
    /**
     * Size of the serialised state: version, count, nine running statistics, the four evidence records,
     * the recent breakouts, the last value, the current and longest run of repeats and the repeat rate,
     * the quiet counter and level, the first timestamp, the transition grid and per bin the range of what
     * followed and the visits; then the daily profile: per daily slot the profile offset and the usual score,
     * and per hour the range of values read in it.
     */
    public static final int STATE_BYTES = 1 + Long.BYTES + 9 * Double.BYTES + EVIDENCE_KINDS * Double.BYTES
            + 2 * Double.BYTES + 2 * Integer.BYTES + Integer.BYTES + Double.BYTES
            + Long.BYTES + TransitionGrid.BYTES
            + 1 + EXCEEDANCE_TESTS * ExceedanceTails.BYTES_PER_TEST
            + 2 * DAILY_SLOTS * Float.BYTES + 2 * HOURS * Float.BYTES;
    /** Size of {@link #coreToBytes()}: the state without the daily profile. */
    public static final int CORE_BYTES = STATE_BYTES - 2 * DAILY_SLOTS * Float.BYTES - 2 * HOURS * Float.BYTES;
    /**
     * Version 4 had a count of recent breakouts where version 5 has the exceedance scales (which start afresh when
     * a version 4 state is read).
     */
    private static final int V4_DIFFERENCE = Double.BYTES - 1 - EXCEEDANCE_TESTS * ExceedanceTails.BYTES_PER_TEST;

    private final DetectorSettings settings;
    /** Per sample, the share of an independent sample the sustained residual and the short-term statistics carry. */
    private final double sustainedShare;
    private final double shortShare;

    private long count;
    private double level;
    private double meanAbsResidual;
    private double longMean;
    private double longVar;
    private double shortMean;
    private double shortVar;
    private double sustained;
    private double minSeen;
    private double maxSeen;
    private double lastValue;
    private int run;
    private int longestRun;
    /** Whether the current run of repeats has been reported as stuck. */
    private boolean stuckRun;
    private double repeatRate;
    private final double[] record = new double[EVIDENCE_KINDS];
    private int quietFor;
    private double quietLevel;
    private long firstMillis;
    /** What has followed a value, by part of the range: fixed once the first day is in. */
    private final TransitionGrid transitions = new TransitionGrid();
    /** How often, and how far, each test has been exceeded: what calibrates its surprise. */
    private final ExceedanceTails tails = new ExceedanceTails(EXCEEDANCE_TESTS);
    /** This sample's excess in each test that was evaluated (NaN if not), learned once the sample is judged. */
    private final double[] excessNow = new double[EXCEEDANCE_TESTS];
    private final DailyProfile daily;
    /** The range the last time-of-day or transition comparison was made against, for the score's reason. */
    private double contextLow;
    private double contextHigh;
    private double transitionLow;
    private double transitionHigh;

    /** A fresh detector keeping its daily profile in memory. */
    public AnomalyDetector(DetectorSettings settings) {
        this(settings, DailyProfile.inMemory());
    }

    /** A fresh detector keeping its daily profile in {@code daily} (all zeros for a new series). */
    public AnomalyDetector(DetectorSettings settings, DailyProfile daily) {
        this.settings = Objects.requireNonNull(settings, "settings can't be null");
        this.daily = Objects.requireNonNull(daily, "daily can't be null");
        this.sustainedShare = effectiveShare(settings.sustainAlpha());
        this.shortShare = effectiveShare(settings.shortAlpha());
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
        int slot = DailyProfile.slotOf(timestampMillis);
        Arrays.fill(excessNow, Double.NaN);
        if (count == 0) {
            level = value;
            longMean = value;
            shortMean = value;
            minSeen = value;
            maxSeen = value;
            firstMillis = timestampMillis;
        }
        // Additive daily profile, Holt-Winters style: the forecast is the level plus this time of day's offset.
        double season = daily.offset(slot);
        double expected = level + season;
        double spread = spread();
        double residual = value - expected;
        daily.offset(slot, (float) season + (float) (settings.seasonalAlpha() * (value - level - season)));
        double deseasonalized = value - season; // the rest of the model sees the series without its daily shape
        long age = timestampMillis - firstMillis;
        boolean scoring = count >= settings.warmup();

        // Range breakout: beyond every value seen so far. As likely as being the largest of n + 1 values, and
        // less likely the further beyond, in units of how far this series' own breakouts usually go.
        double beyond = Math.max(value - maxSeen, minSeen - value);
        double range = maxSeen - minSeen;
        double breakout = 0;
        if (range > 0 && beyond > 0) {
            breakout = novelty(BREAKOUT, count, beyond, spread);
        }
        if (range > 0 && scoring) {
            excessNow[BREAKOUT] = beyond;
        }
        boolean inRange = beyond <= 0 && range > 0;
        // Values of one hour on one day move together: what the time of day has seen is worth about one
        // observation per hour of context per day.
        double contextHoursSeen = (2.0 * settings.contextHours() + 1) * age / DAY_MILLIS;
        double timeOfDay = timeOfDayContext(slot / (DAILY_SLOTS / HOURS), value,
                inRange && age >= settings.contextDays() * DAY_MILLIS, contextHoursSeen, spread, scoring);
        double transition = transitionContext(value, inRange, age, spread, scoring);
        double previousMin = minSeen;
        double previousMax = maxSeen;
        double previousValue = lastValue;
        minSeen = Math.min(minSeen, value);
        maxSeen = Math.max(maxSeen, value);

        // Evidence, each kind in units of the series' own spread and against its own fading record.
        sustained += (count == 0 ? 1 : settings.sustainAlpha()) * (Math.max(-RAW_CAP, Math.min(RAW_CAP, residual / spread)) - sustained);
        double floor = floor();
        double[] evidenceNow = {Math.min(RAW_CAP, Math.abs(residual) / spread), Math.abs(sustained),
            Math.min(RAW_CAP, Math.abs(shortMean - longMean) / (Math.sqrt(longVar) + floor)),
            Math.min(RAW_CAP, Math.abs(Math.log((shortVar + floor * floor) / (longVar + floor * floor))) / 2)};
        // A record fades by recordDecay per sample, and never slower than the series ages: one set when the
        // series was a tenth of its present age (the model still learning its day) weighs a tenth.
        double decay = Math.min(settings.recordDecay(), 1 - 1.0 / (count + 1));
        double recordMemory = Math.min(count, 1 / (1 - settings.recordDecay()));
        // A smoothed statistic is far from independent sample to sample: an exponentially weighted mean with
        // weight a carries about a / (2 - a) of a sample's worth of news per sample.
        double[] independent = {recordMemory, recordMemory * sustainedShare, recordMemory * shortShare, recordMemory * shortShare};
        int strongestKind = 0;
        double evidence = 0;
        double strongestRecord = 0;
        for (int k = 0; k < EVIDENCE_KINDS; k++) {
            double over = evidenceNow[k] - record[k];
            if (over > 0 && count > 0) {
                double nats = novelty(FIRST_EVIDENCE + k, independent[k], over, 1);
                if (nats > evidence) {
                    evidence = nats;
                    strongestKind = k;
                    strongestRecord = record[k];
                }
            }
            if (scoring) {
                excessNow[FIRST_EVIDENCE + k] = over;
            }
            record[k] = Math.max(evidenceNow[k], record[k] * decay);
        }
        // What this time of day usually scores, give or take five minutes.
        double usual = Math.max(daily.usualScore(slot),
                Math.max(daily.usualScore((slot + 1) % DAILY_SLOTS), daily.usualScore((slot + DAILY_SLOTS - 1) % DAILY_SLOTS)));

        // Stuck: the same value again and again, longer than this series has ever repeated itself and
        // improbable at the rate it repeats values (at best known to 1 in 1/REPEAT_ALPHA). Reported once,
        // when the run becomes improbable; a breakout cannot see it, and spread statistics only slowly.
        boolean repeated = count > 0 && value == lastValue;
        if (!repeated && count > 0 && !stuckRun) {
            longestRun = Math.max(longestRun, run); // the run that just ended is something the series does
        }
        run = repeated ? run + 1 : 0;
        double stuck = 0;
        int previousLongestRun = longestRun;
        if (run == 0) {
            stuckRun = false;
        } else if (run > longestRun && !stuckRun) {
            double nats = -Math.log(Math.max(repeatRate, 1.0 / Math.min(count + 2, 1 / REPEAT_ALPHA)));
            if (run * nats >= settings.stuckNats()) {
                stuck = run * nats;
                stuckRun = true;
                // A run reported as stuck was an anomaly, not what the series does: it counts only as far as the
                // report, so the next stuck run is reported as soon as this one was.
                longestRun = run;
            }
        }
        repeatRate += Math.max(REPEAT_ALPHA, 1.0 / (count + 1)) * ((repeated ? 1 : 0) - repeatRate);
        lastValue = value;

        learn(deseasonalized, residual);
        count++;

        boolean learning = !scoring;
        // What happens at this time every day is not news: discount what this time of day usually scores.
        double evidenceShare = learning ? 0 : Math.min(1, evidence / NATS_AT_FULL_SCORE);
        float usualHere = daily.usualScore(slot);
        daily.usualScore(slot, usualHere + (float) (settings.dailyAlpha() * (evidenceShare - usualHere)));
        evidence = NATS_AT_FULL_SCORE * Math.max(0, evidenceShare - settings.dailyDiscount() * usual);

        // One scale for every test: its surprise in nats, times how far the test is to be trusted. Going beyond
        // everything the series ever did, or repeating a value for longer than it ever did, is taken at face
        // value; a context (this time of day, what followed the previous value) or the series' own recent
        // statistics are built from fewer and autocorrelated values, so their surprise is over-confident and
        // weighs less (the weights are chosen by cross-validation, docs/detection.md).
        double[] views = {breakout, stuck, settings.timeOfDayWeight() * timeOfDay, settings.transitionWeight() * transition,
            settings.evidenceWeight() * evidence};
        int strongestView = 0;
        for (int v = 1; v < views.length; v++) {
            if (views[v] > views[strongestView]) {
                strongestView = v;
            }
        }
        double score = Math.min(1, views[strongestView] / NATS_AT_FULL_SCORE);
        if (learning) {
            score = 0;
        }
        // One anomaly, one report: after a strong score, stay quiet while the same event plays out,
        // unless something stronger than what opened the quiet spell comes along.
        boolean event = quietFor > 0;
        if (quietFor > 0 && score <= quietLevel) {
            quietFor--;
            score = 0;
        } else if (score >= settings.alertLevel()) {
            quietFor = settings.suppression();
            quietLevel = score;
            event = true;
        }
        // How often and how far a test is exceeded is learned from what the series ordinarily does, not from the
        // events it reports: an incident's excesses would make the next incident look ordinary (docs/detection.md).
        if (!event) {
            for (int test = 0; test < EXCEEDANCE_TESTS; test++) {
                if (!Double.isNaN(excessNow[test])) {
                    tails.observe(test, excessNow[test]);
                }
            }
        }
        double half = settings.intervalWidth() * spread;
        if (score <= 0) {
            return new AnomalyScore(expected, expected - half, expected + half, score, learning);
        }
        double days = (double) age / DAY_MILLIS;
        return switch (strongestView) {
            case 0 -> new AnomalyScore(expected, expected - half, expected + half, score, false, AnomalyReason.OUT_OF_RANGE,
                    value, previousMin, previousMax, days);
            case 1 -> new AnomalyScore(expected, expected - half, expected + half, score, false, AnomalyReason.STUCK,
                    run + 1, 0, previousLongestRun + 1, days);
            case 2 -> new AnomalyScore(expected, expected - half, expected + half, score, false,
                    AnomalyReason.UNUSUAL_FOR_TIME_OF_DAY, value, contextLow, contextHigh, days);
            case 3 -> new AnomalyScore(expected, expected - half, expected + half, score, false, AnomalyReason.UNUSUAL_JUMP,
                    previousValue, transitionLow, transitionHigh, days);
            default -> strongestKind == 3
                    // volatility is a log ratio of variances: say it as a ratio of deviations
                    ? new AnomalyScore(expected, expected - half, expected + half, score, false, AnomalyReason.VOLATILITY_CHANGE,
                            Math.sqrt((shortVar + floor * floor) / (longVar + floor * floor)), Math.exp(-strongestRecord),
                            Math.exp(strongestRecord), days)
                    : new AnomalyScore(expected, expected - half, expected + half, score, false, EVIDENCE_REASONS[strongestKind],
                            strongestKind == 1 ? sustained : evidenceNow[strongestKind], 0, strongestRecord, days);
        };
    }

    /** Surprise, in nats, of a value {@code excess} beyond the most extreme of {@code n} earlier ones in {@code test}. */
    private double novelty(int test, double n, double excess, double spread) {
        // A breakout and the evidence records compare with extremes of many values: before the series has shown
        // its own, the gap between the largest of n normal values. A context's edge is set by fewer, autocorrelated
        // values, so one spread.
        double gapPrior = test == TIME_OF_DAY || test == TRANSITION ? spread : spread / Math.sqrt(2 * Math.log(n + 2));
        return tails.surprise(test, n, excess, gapPrior);
    }

    /** The share of a sample's news an exponentially weighted mean with weight {@code alpha} carries per sample. */
    private static double effectiveShare(double alpha) {
        return alpha / (2 - alpha);
    }

    /**
     * Surprise, in nats, of {@code value} against everything read at this hour of the day, give or take
     * {@code contextHours} (when {@code counts}: {@code samples} of them), then learns it.
     */
    private double timeOfDayContext(int hour, double value, boolean counts, double samples, double spread, boolean scoring) {
        double nats = 0;
        if (counts) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (int h = hour - settings.contextHours(); h <= hour + settings.contextHours(); h++) {
                low = Math.min(low, daily.hourLow(Math.floorMod(h, HOURS)));
                high = Math.max(high, daily.hourHigh(Math.floorMod(h, HOURS)));
            }
            double outside = Math.max(value - high, low - value);
            if (high >= low && outside > 0) { // high < low while no hour nearby has been seen
                nats = novelty(TIME_OF_DAY, samples, outside, spread);
                contextLow = low;
                contextHigh = high;
            }
            if (high >= low && scoring) {
                excessNow[TIME_OF_DAY] = outside;
            }
        }
        daily.widenHour(hour, value);
        return nats;
    }

    /**
     * Surprise, in nats, of {@code value} against everything that followed a value in the previous value's part of
     * the range ({@link TransitionGrid}, once that part is known), then learns it. The grid is fixed over the range
     * seen when warm-up is over and a day of data is in.
     */
    private double transitionContext(double value, boolean inRange, long age, double spread, boolean scoring) {
        if (!transitions.isFixed()) {
            if (count >= settings.warmup() && age >= DAY_MILLIS) {
                transitions.fix(minSeen, maxSeen > minSeen ? maxSeen : minSeen + floor());
            }
            return 0;
        }
        int bin = transitions.binOf(lastValue);
        double nats = 0;
        if (inRange && transitions.isKnown(bin)) {
            double outside = Math.max(value - transitions.highestNext(bin), transitions.lowestNext(bin) - value);
            if (outside > 0) {
                nats = novelty(TRANSITION, transitions.visits(bin), outside, spread);
                transitionLow = transitions.lowestNext(bin);
                transitionHigh = transitions.highestNext(bin);
            }
            if (scoring) {
                excessNow[TRANSITION] = outside;
            }
        }
        transitions.learn(bin, value);
        return nats;
    }

    /**
     * What the series should read at {@code timestampMillis} (typically ahead of the newest sample): the
     * level plus that time of day's offset, with the same band as a score's.
     */
    public Prediction forecast(long timestampMillis) {
        double expected = level + daily.offset(DailyProfile.slotOf(timestampMillis));
        double half = settings.intervalWidth() * spread();
        return new Prediction(expected, expected - half, expected + half);
    }

    private void learn(double value, double residual) {
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
    }

    /** The series' learned state, daily profile included: {@value #STATE_BYTES} bytes, versioned. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(STATE_BYTES);
        writeCore(buffer);
        for (int i = 0; i < DAILY_SLOTS; i++) {
            buffer.putFloat(daily.offset(i)).putFloat(daily.usualScore(i));
        }
        for (int h = 0; h < HOURS; h++) {
            buffer.putFloat(daily.hourLow(h)).putFloat(daily.hourHigh(h));
        }
        return buffer.array();
    }

    /**
     * The learned state without the daily profile, {@value #CORE_BYTES} bytes, versioned: for a store that
     * keeps the profile itself (see {@link DailyProfile}); {@link #fromCore} reads it back.
     */
    public byte[] coreToBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(CORE_BYTES);
        writeCore(buffer);
        return buffer.array();
    }

    private void writeCore(ByteBuffer buffer) {
        buffer.put(STATE_VERSION).putLong(count)
                .putDouble(level).putDouble(meanAbsResidual).putDouble(longMean).putDouble(longVar)
                .putDouble(shortMean).putDouble(shortVar).putDouble(sustained).putDouble(minSeen).putDouble(maxSeen);
        for (double r : record) {
            buffer.putDouble(r);
        }
        buffer.putDouble(lastValue).putInt(run).putInt(longestRun).putDouble(repeatRate);
        buffer.putInt(quietFor).putDouble(quietLevel).putLong(firstMillis);
        transitions.write(buffer);
        buffer.put((byte) (stuckRun ? 1 : 0));
        tails.write(buffer);
    }

    /**
     * A detector that carries on where the one that wrote {@code state} left off. A state of the previous
     * version ({@value #PREVIOUS_STATE_VERSION}) still loads: what it lacks is learned afresh.
     *
     * @throws IllegalArgumentException naming the problem, for a state of unknown version or wrong size
     */
    public static AnomalyDetector fromBytes(byte[] state, DetectorSettings settings) {
        ByteBuffer buffer = checked(state, STATE_BYTES);
        AnomalyDetector detector = readCore(buffer, state[0], settings, DailyProfile.inMemory());
        for (int i = 0; i < DAILY_SLOTS; i++) {
            detector.daily.offset(i, buffer.getFloat());
            detector.daily.usualScore(i, buffer.getFloat());
        }
        for (int h = 0; h < HOURS; h++) {
            detector.daily.setHourLow(h, buffer.getFloat());
            detector.daily.setHourHigh(h, buffer.getFloat());
        }
        return detector;
    }

    /**
     * A detector that carries on from {@code core} (from {@link #coreToBytes()}) with the daily profile
     * {@code daily}, which must hold what the writer's profile held. A core of the previous version still loads.
     *
     * @throws IllegalArgumentException naming the problem, for a state of unknown version or wrong size
     */
    public static AnomalyDetector fromCore(byte[] core, DailyProfile daily, DetectorSettings settings) {
        return readCore(checked(core, CORE_BYTES), core[0], settings, daily);
    }

    private static ByteBuffer checked(byte[] state, int expectedBytes) {
        Objects.requireNonNull(state, "state can't be null");
        if (state.length == 0 || (state[0] != STATE_VERSION && state[0] != PREVIOUS_STATE_VERSION)) {
            throw new IllegalArgumentException("detector state has version " + (state.length == 0 ? "none" : state[0])
                    + "; this build reads versions " + PREVIOUS_STATE_VERSION + " and " + STATE_VERSION
                    + " (a series with older state starts afresh)");
        }
        int bytes = state[0] == STATE_VERSION ? expectedBytes : expectedBytes + V4_DIFFERENCE;
        if (state.length != bytes) {
            throw new IllegalArgumentException("detector state of version " + state[0] + " has " + bytes
                    + " bytes, got " + state.length);
        }
        return ByteBuffer.wrap(state, 1, state.length - 1);
    }

    private static AnomalyDetector readCore(ByteBuffer buffer, byte version, DetectorSettings settings, DailyProfile daily) {
        AnomalyDetector detector = new AnomalyDetector(settings, daily);
        detector.count = buffer.getLong();
        detector.level = buffer.getDouble();
        detector.meanAbsResidual = buffer.getDouble();
        detector.longMean = buffer.getDouble();
        detector.longVar = buffer.getDouble();
        detector.shortMean = buffer.getDouble();
        detector.shortVar = buffer.getDouble();
        detector.sustained = buffer.getDouble();
        detector.minSeen = buffer.getDouble();
        detector.maxSeen = buffer.getDouble();
        for (int k = 0; k < EVIDENCE_KINDS; k++) {
            detector.record[k] = buffer.getDouble();
        }
        if (version == PREVIOUS_STATE_VERSION) {
            buffer.getDouble(); // the count of recent breakouts, which the exceedance scales replace
        }
        detector.lastValue = buffer.getDouble();
        detector.run = buffer.getInt();
        detector.longestRun = buffer.getInt();
        detector.repeatRate = buffer.getDouble();
        detector.quietFor = buffer.getInt();
        detector.quietLevel = buffer.getDouble();
        detector.firstMillis = buffer.getLong();
        detector.transitions.read(buffer);
        if (version == STATE_VERSION) {
            detector.stuckRun = buffer.get() == 1;
            detector.tails.read(buffer);
        } else {
            detector.quietFor = 0; // a quiet spell of the old score scale
        }
        return detector;
    }

    private double spread() {
        return NORMAL_MAD_TO_SIGMA * meanAbsResidual + floor();
    }

    /** A spread below which differences are noise: relative to the series' size, never zero. */
    private double floor() {
        return 1e-3 * Math.abs(longMean) + 1e-9;
    }
}
