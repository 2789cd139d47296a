package dev.vigil.prediction;

import java.nio.ByteBuffer;

/**
 * When one bounded series will reach its ceiling, from the minute means of its rollups, in O(1) per minute and
 * {@value #BYTES} bytes of state.
 *
 * <ul>
 *   <li><b>The daily cycle</b> ({@link DailyCycle}) is learnt against a long trend (weights halving every week) and
 *       taken out of everything else: without it, the morning's rise of a series with a daily shape reads as a leak and
 *       the evening's fall as a recovery, which is where a straight line over a window (Prometheus'
 *       {@code predict_linear}) goes wrong most. It learns from the second day on (from the middle of an hour), the
 *       level between its hours taken out. Once it has seen every hour, the drift of the long trend across that first
 *       day is taken out of it ({@link DailyCycle#removeFirstDayDrift}: a line through a single day leans with the
 *       day's shape), and from then on it leaves out minutes far from what their hour usually shows, so that a leak is
 *       not taken for the time of day.</li>
 *   <li><b>The trend</b> is least squares over everything since the series' behaviour last changed (weights halving
 *       only every {@link Parameters#trendHalfLifeHours}): as good as a line gets for a leak that grows steadily, and no
 *       window to choose. A CUSUM of how far each minute lands from the trend's prediction says when it changed (a leak
 *       starts, or stops); the trend then restarts from a fast one (half-life {@link Parameters#fastHalfLifeHours}),
 *       which has seen little but the new behaviour.</li>
 *   <li><b>Time to exhaustion</b> is when the trend plus the daily cycle first reaches the ceiling; its interval comes
 *       from the slope's standard error ({@link Parameters#z} either side), widened for minutes that follow one another
 *       closely rather than scatter (the lag-one autocorrelation of their steps, as for an AR(1) series). A series
 *       counts as rising only when its slope is as far above zero as {@link Parameters#zSignificant} standard errors
 *       are for the normal distribution, in Student's t with the trend's degrees of freedom: a trend that restarted
 *       minutes ago knows its own error poorly, and on a few noisy minutes its slope can look steep.</li>
 * </ul>
 */
public final class ExhaustionForecaster {

    static final int BYTES = 2 * Long.BYTES + 6 * Double.BYTES + 3 * TrendFit.BYTES + DailyCycle.BYTES;
    private static final double MILLIS_PER_HOUR = 3_600_000.0;
    /** Most steps a search for the first crossing of the ceiling takes. */
    private static final int SCAN_STEPS = 500;
    /** Crossings further out than this are "not in sight": a year. */
    private static final double FOREVER_HOURS = 24 * 366;
    /** Beyond this autocorrelation a series is taken to carry no more information than at it: the widening is capped. */
    private static final double MAX_AUTOCORRELATION = 0.9;

    /**
     * The forecaster's fixed parameters, chosen on simulated series apart from those the benchmark reports
     * (docs/benchmarks.md).
     *
     * @param fastHalfLifeHours   the fast trend's weights halve every this many hours: what a new trend starts from
     * @param trendHalfLifeHours  the trend's, between changes
     * @param longHalfLifeHours   the long trend's, which the daily cycle is learnt against
     * @param cycleMemoryDays     about how many days the daily cycle remembers
     * @param z                   standard errors of the slope either side of the estimate: the interval
     * @param zSignificant        standard errors the slope must be above zero for the series to count as rising, for a trend
     *                            fitted to many minutes (fewer ask for more: the same tail in Student's t)
     * @param changeAfter         how far (in residual standard deviations, summed beyond half of one per minute) the minutes
     *                            must stray from the trend for it to be restarted from the fast one: CUSUM's decision interval
     */
    public record Parameters(double fastHalfLifeHours, double trendHalfLifeHours, double longHalfLifeHours, double cycleMemoryDays,
                             double z, double zSignificant, double changeAfter) {

        public static final Parameters DEFAULT = new Parameters(0.05, 12, 24 * 7, 5, 1.645, 4, 5);
    }

    /** How much of the fast trend's points a restarted trend keeps: enough for a line, little enough not to bend it for long. */
    private static final double RESTART_SHARE = 0.25;
    /** Typical deviations from the daily cycle beyond which a minute is not taught to it. */
    private static final double CYCLE_OUTLIER = 3;
    /** Weight of a minute in the mean squared deviation from the cycle: about a day's memory. */
    private static final double CYCLE_DEVIATION_WEIGHT = 1.0 / 1440;
    private static final long DAY_MILLIS = 86_400_000L;
    /** CUSUM's allowance: half a standard deviation per minute. */
    private static final double ALLOWANCE = 0.5;

    private final Parameters parameters;
    private final TrendFit fast;
    private final TrendFit trend;
    private final TrendFit longTrend;
    private final DailyCycle cycle;
    private long firstMinute;
    private long newest;
    /** The newest deseasonalized minute, and the fading sum and weight of squared steps between consecutive ones. */
    private double last;
    private double stepSquares;
    private double stepWeight;
    /** CUSUM of the minutes' standardized distance from the trend, upwards and downwards. */
    private double strayUp;
    private double strayDown;
    /** Mean squared deviation of the minutes from the daily cycle (around the long trend). */
    private double cycleDeviation;

    public ExhaustionForecaster() {
        this(Parameters.DEFAULT);
    }

    public ExhaustionForecaster(Parameters parameters) {
        this.parameters = parameters;
        this.fast = new TrendFit(parameters.fastHalfLifeHours());
        this.trend = new TrendFit(parameters.trendHalfLifeHours());
        this.longTrend = new TrendFit(parameters.longHalfLifeHours());
        this.cycle = new DailyCycle(parameters.cycleMemoryDays());
    }

    /** Takes in the mean of one minute, {@code time} being the minute's middle (epoch ms, after the previous minute's). */
    public void addMinute(long time, double mean) {
        double hours = firstMinute == 0 ? 0 : (time - newest) / MILLIS_PER_HOUR;
        if (firstMinute == 0) {
            firstMinute = time;
        } else {
            TrendFit.Line longLine = longTrend.line(1);
            if (longLine != null && time >= cycleLearningStart()) {
                learnCycle(time, mean - longLine.at(hours));
            }
        }
        double deseasonalized = mean - cycle.at(time);
        if (newest != 0) {
            double decay = Math.pow(0.5, hours / parameters.trendHalfLifeHours());
            double step = deseasonalized - last;
            stepSquares = decay * stepSquares + step * step;
            stepWeight = decay * stepWeight + 1;
            watchForChange(hours, deseasonalized);
        }
        fast.add(hours, deseasonalized);
        trend.add(hours, deseasonalized);
        longTrend.add(hours, deseasonalized);
        newest = time;
        last = deseasonalized;
    }

    /**
     * Teaches the daily cycle that the series was {@code residual} above the long trend at {@code time}. Once the cycle
     * knows every hour, a residual further than {@value #CYCLE_OUTLIER} typical deviations from what the hour usually
     * shows is not learnt: a leak is not the time of day, and learning it would hide the leak.
     */
    private void learnCycle(long time, double residual) {
        double deviation = residual - cycle.at(time);
        double squared = deviation * deviation;
        double limit = CYCLE_OUTLIER * CYCLE_OUTLIER * cycleDeviation;
        // The typical deviation learns from every minute, a far one counting as if at the limit: a cycle that was learnt
        // wrong is relearnt, a leak moves it little.
        cycleDeviation = cycleDeviation == 0 ? squared : cycleDeviation + CYCLE_DEVIATION_WEIGHT * (Math.min(squared, limit) - cycleDeviation);
        boolean knewWholeDay = cycle.knowsWholeDay();
        if (knewWholeDay && squared > limit) {
            return;
        }
        cycle.learn(time, residual);
        if (!knewWholeDay && cycle.knowsWholeDay()) {
            // Its first day was learnt against a long trend that had seen one day, whose slope a day's shape bends. The
            // trends move with the cycle where it is now, so that the minutes they hold do not look like a step.
            double before = cycle.at(time);
            cycle.removeFirstDayDrift(cycleLearningStart());
            double moved = cycle.at(time) - before;
            fast.shift(-moved);
            trend.shift(-moved);
            longTrend.shift(-moved);
            last -= moved;
        }
    }

    /**
     * When the daily cycle starts learning: a day after the first minute, at the middle of an hour, so that no hour is
     * learnt both at the start of its first day and at the end of it (see {@link DailyCycle#removeFirstDayDrift}).
     */
    private long cycleLearningStart() {
        return DailyCycle.nextHourMiddle(firstMinute + DAY_MILLIS);
    }

    /**
     * CUSUM on how far each minute lands from where the trend said it would: once the minutes have strayed too far one
     * way, the trend changed (a leak started, or stopped), and the trend restarts from the fast one, which has seen
     * little but the new behaviour. Between changes, the trend is a least-squares line over everything since the last
     * one, which is as good as a line gets for a leak that grows steadily.
     */
    private void watchForChange(double hours, double deseasonalized) {
        TrendFit.Line line = trend.line(1);
        TrendFit.Line fastLine = fast.line(1);
        if (line == null || fastLine == null) {
            return;
        }
        double spread = Math.max(Math.max(line.residual(), fastLine.residual()), 1e-12);
        double standardized = (deseasonalized - line.at(hours)) / spread;
        strayUp = Math.max(0, strayUp + standardized - ALLOWANCE);
        strayDown = Math.max(0, strayDown - standardized - ALLOWANCE);
        if (strayUp > parameters.changeAfter() || strayDown > parameters.changeAfter()) {
            trend.restartFrom(fast, RESTART_SHARE);
            strayUp = 0;
            strayDown = 0;
        }
    }

    /** How long the series has been watched, in ms. */
    public long history() {
        return firstMinute == 0 ? 0 : newest - firstMinute;
    }

    /** Whether the series' daily cycle is known: every hour of the day seen; before that a daily rise may look like a leak. */
    public boolean knowsDailyCycle() {
        return cycle.knowsWholeDay();
    }

    /**
     * When the series is expected to reach {@code ceiling}, as of its newest minute; null before there is a trend.
     */
    public Estimate estimate(double ceiling) {
        TrendFit.Line line = trend.line(1);
        if (line == null) {
            return null;
        }
        double slope = line.slope();
        double error = line.slopeError() * Math.sqrt(widening(line.residual()));
        // A trend restarted a few minutes ago has its error from those few minutes: Student's t, not the normal, says
        // how far above zero its slope must be to be as unlikely from noise as zSignificant errors are for a long fit.
        boolean rising = slope > 0 && slope > StudentT.quantileLike(parameters.zSignificant(), line.degreesOfFreedom()) * error;
        double level = line.level();
        // At the ceiling already when it is within the level's own uncertainty.
        double tolerance = parameters.z() * line.levelError();
        double at = hoursToReach(ceiling, level, slope, tolerance);
        double earliest = hoursToReach(ceiling, level, slope + parameters.z() * error, tolerance);
        double latest = hoursToReach(ceiling, level, slope - parameters.z() * error, tolerance);
        return new Estimate(newest, ceiling, level + cycle.at(newest), slope, error, toMillis(at), toMillis(earliest), toMillis(latest),
                rising, cycle.knowsWholeDay());
    }

    /** (1 + ρ) / (1 - ρ), ρ the lag-one autocorrelation of the minutes from their steps (von Neumann); 1 for a series that scatters. */
    private double widening(double residual) {
        if (stepWeight < 2 || !(residual > 0)) {
            return 1;
        }
        double rho = 1 - stepSquares / stepWeight / (2 * residual * residual);
        rho = Math.max(0, Math.min(MAX_AUTOCORRELATION, rho));
        return (1 + rho) / (1 - rho);
    }

    /**
     * Hours from now until {@code level + slope * t} plus the daily cycle first reaches {@code ceiling}: 0 when within
     * {@code tolerance} of it already, infinite for a flat or falling trend or beyond a year. The crossing lies where the
     * trend is within the cycle's reach of the ceiling; that stretch is scanned in at most {@value #SCAN_STEPS} steps
     * and the first step over is interpolated.
     */
    private double hoursToReach(double ceiling, double level, double slope, double tolerance) {
        if (level + cycle.at(newest) >= ceiling - tolerance) {
            return 0;
        }
        if (!(slope > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double reach = cycle.largestOffset();
        double from = Math.max(0, (ceiling - level - reach) / slope);
        double to = (ceiling - level + reach) / slope;
        if (from >= FOREVER_HOURS) {
            return Double.POSITIVE_INFINITY;
        }
        double step = Math.max(1.0 / 6, (to - from) / SCAN_STEPS);
        double previousGap = ceiling - level - slope * from - cycle.at(newest + (long) (from * MILLIS_PER_HOUR));
        for (double hours = from; hours <= to + step; hours += step) {
            double gap = ceiling - level - slope * hours - cycle.at(newest + (long) (hours * MILLIS_PER_HOUR));
            if (gap <= 0) {
                double crossing = hours == from ? hours : hours - step * (-gap) / (previousGap - gap);
                return crossing < FOREVER_HOURS ? crossing : Double.POSITIVE_INFINITY;
            }
            previousGap = gap;
        }
        return to < FOREVER_HOURS ? to : Double.POSITIVE_INFINITY;
    }

    private long toMillis(double hours) {
        return Double.isInfinite(hours) ? Long.MAX_VALUE : newest + Math.round(hours * MILLIS_PER_HOUR);
    }

    /**
     * The long trend plus the daily cycle at {@code target} (epoch ms), with a band of {@link Parameters#z} standard
     * errors of the line and of the points around it; null before there is a long trend.
     */
    public Band forecast(long target) {
        TrendFit.Line line = longTrend.line(1);
        if (line == null) {
            return null;
        }
        double hours = (target - newest) / MILLIS_PER_HOUR;
        double expected = line.at(hours) + cycle.at(target);
        double lineError = Math.hypot(line.levelError(), hours * line.slopeError());
        double spread = parameters.z() * Math.hypot(lineError, line.residual());
        return new Band(target, expected, expected - spread, expected + spread, line.slope());
    }

    /**
     * Where a series is expected to be at a time.
     *
     * @param slopePerHour the long trend's slope
     */
    public record Band(long time, double expected, double lower, double upper, double slopePerHour) {
    }

    /**
     * When a series is expected to reach its ceiling.
     *
     * @param time          the newest minute the estimate rests on (epoch ms)
     * @param ceiling       what the series cannot go beyond
     * @param level         the trend plus the daily cycle now
     * @param slopePerHour  the short trend's slope, daily cycle removed
     * @param slopeError    its standard error
     * @param at            best estimate of when the ceiling is reached (epoch ms), {@link Long#MAX_VALUE} when not in sight
     * @param earliest      low end of the interval
     * @param latest        high end, {@link Long#MAX_VALUE} when the slope may well be zero
     * @param rising        whether the slope is clearly above zero ({@link Parameters#zSignificant} standard errors, more
     *                      for a trend fitted to few minutes)
     * @param cycleKnown    whether the daily cycle is known ({@link #knowsDailyCycle()})
     */
    public record Estimate(long time, double ceiling, double level, double slopePerHour, double slopeError, long at, long earliest,
                           long latest, boolean rising, boolean cycleKnown) {

        /** Whether the ceiling is in sight at all. */
        public boolean inSight() {
            return at != Long.MAX_VALUE;
        }
    }

    void writeTo(ByteBuffer out) {
        out.putLong(firstMinute).putLong(newest).putDouble(last).putDouble(stepSquares).putDouble(stepWeight).putDouble(strayUp)
                .putDouble(strayDown).putDouble(cycleDeviation);
        fast.writeTo(out);
        trend.writeTo(out);
        longTrend.writeTo(out);
        cycle.writeTo(out);
    }

    void readFrom(ByteBuffer in) {
        firstMinute = in.getLong();
        newest = in.getLong();
        last = in.getDouble();
        stepSquares = in.getDouble();
        stepWeight = in.getDouble();
        strayUp = in.getDouble();
        strayDown = in.getDouble();
        cycleDeviation = in.getDouble();
        fast.readFrom(in);
        trend.readFrom(in);
        longTrend.readFrom(in);
        cycle.readFrom(in);
    }
}
