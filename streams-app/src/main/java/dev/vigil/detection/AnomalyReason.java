package dev.vigil.detection;

/**
 * Which of the detector's tests drove a score, and so what the numbers of an {@link AnomalyScore} mean
 * ({@code observed}, {@code usualLow}, {@code usualHigh}; {@code basis} is always the days of history the
 * judgement rests on). Each constant documents its numbers;
 * {@link ReasonText} says them in plain words.
 */
public enum AnomalyReason {
    /** Nothing unusual (a score of 0, or a series still learning). Numbers are 0. */
    NONE,
    /**
     * The value is outside every value the series has taken. {@code observed}: the value; {@code usualLow} to
     * {@code usualHigh}: the range of everything before it; {@code basis}: days of history.
     */
    OUT_OF_RANGE,
    /**
     * The same value, repeated for longer than the series ever repeated one. {@code observed}: the run, in samples;
     * {@code usualHigh}: the longest run before; {@code usualLow}: 0; {@code basis}: days of history.
     */
    STUCK,
    /**
     * The value is inside the series' range but outside everything read at this time of day.
     * {@code observed}: the value; {@code usualLow} to {@code usualHigh}: what this time of day (give or take a few
     * hours) has read; {@code basis}: days of history.
     */
    UNUSUAL_FOR_TIME_OF_DAY,
    /**
     * A step the series never made from where it was. {@code observed}: the previous value; {@code usualLow} to
     * {@code usualHigh}: every value that ever followed a value near it; {@code basis}: days of history.
     */
    UNUSUAL_JUMP,
    /**
     * The value is far from the forecast, further than the series' own forecast errors have been lately.
     * {@code observed}: the error in units of the usual error; {@code usualHigh}: the largest such error lately;
     * {@code usualLow}: 0; {@code basis}: days of history.
     */
    FORECAST_DEVIATION,
    /**
     * The series has stayed on one side of its forecast for a while (a day unlike the others). Numbers as for
     * {@link #FORECAST_DEVIATION}, of the smoothed signed error.
     */
    SUSTAINED_DEVIATION,
    /**
     * The recent mean moved away from the long-term mean. {@code observed}: the move in long-term standard
     * deviations; {@code usualHigh}: the largest such move lately; {@code usualLow}: 0; {@code basis}: days of history.
     */
    LEVEL_SHIFT,
    /**
     * The recent variability differs from the long-term one. {@code observed}: the ratio of recent to long-term
     * standard deviation; {@code usualLow} to {@code usualHigh}: the lowest and highest ratio lately;
     * {@code basis}: days of history.
     */
    VOLATILITY_CHANGE
}
