package dev.vigil.prediction;

import java.nio.ByteBuffer;

/**
 * How a series usually sits above or below its trend at each time of day: {@value #HOURS} hourly offsets around
 * their mean, read
 * between hours by straight-line interpolation (a step at each full hour would look like a jump to a trend fitted over
 * minutes). Each hour's offset is the mean of what it has been told, weighted by how near the hour's middle each
 * residual fell, until it has a few days' worth; then older days fade, so the cycle follows a series whose daily
 * shape drifts. O(1) per update, {@value #BYTES} bytes.
 */
final class DailyCycle {

    static final int HOURS = 24;
    static final int BYTES = HOURS * (Float.BYTES + Short.BYTES);
    /** Weights are kept in hundredths of a minute, in two bytes: up to 327 minutes' worth, more than five days' share of an hour. */
    private static final float WEIGHT_UNIT = 0.01f;
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

    private final float[] offset = new float[HOURS];
    private final float[] weight = new float[HOURS];
    /**
     * The mean of the offsets, taken out of every reading: the cycle says how the day goes around its mean, the trend
     * says where that mean is. Without it the two could trade the level between them without end.
     */
    private double mean;
    /** The weight at which an hour stops averaging and starts fading: about {@code memoryDays} days of minutes. */
    private final float fullWeight;

    /** @param memoryDays about how many days an hour's offset remembers */
    DailyCycle(double memoryDays) {
        this.fullWeight = (float) Math.min(memoryDays * 60, Short.MAX_VALUE * WEIGHT_UNIT);
    }

    /** The usual offset at {@code time} (epoch ms, UTC), 0 for hours not seen yet. */
    double at(long time) {
        double position = position(time);
        int below = (int) Math.floor(position);
        double share = position - below;
        return (1 - share) * offset[Math.floorMod(below, HOURS)] + share * offset[Math.floorMod(below + 1, HOURS)] - mean;
    }

    /** Tells the cycle that the series was {@code residual} above its trend at {@code time}. */
    void learn(long time, double residual) {
        double position = position(time);
        int below = (int) Math.floor(position);
        double share = position - below;
        learn(Math.floorMod(below, HOURS), 1 - share, residual);
        learn(Math.floorMod(below + 1, HOURS), share, residual);
        updateMean();
    }

    private void updateMean() {
        double sum = 0;
        for (float o : offset) {
            sum += o;
        }
        mean = sum / HOURS;
    }

    private void learn(int hour, double share, double residual) {
        if (share < WEIGHT_UNIT) {
            return;
        }
        // Rounded as it is stored, so that a cycle read back learns exactly as the one written would have.
        weight[hour] = Math.round(Math.min(fullWeight, weight[hour] + (float) share) / WEIGHT_UNIT) * WEIGHT_UNIT;
        offset[hour] += (float) (share / weight[hour] * (residual - offset[hour]));
    }

    /** The largest offset from the trend, either way: how far the cycle can take the series. */
    double largestOffset() {
        float largest = 0;
        for (float o : offset) {
            largest = Math.max(largest, (float) Math.abs(o - mean));
        }
        return largest;
    }

    /**
     * Takes out of the cycle a baseline that drifted steadily while it learnt its first day, which began at
     * {@code learningStart} (epoch ms, the middle of an hour): each hour was learnt once, against the baseline as it
     * stood then, so a drift of D over the day leaves each hour lower than the cycle by D times the share of the day
     * that had passed when it was learnt, and a step of D where the day closes, between the hour learnt last and the one
     * learnt first. A daily cycle is periodic: the drift is how far apart the two ends of the day, each carried on in a
     * straight line from its two nearest hours, meet where learning began, and each hour is moved by its share of it,
     * about the day's middle so that the cycle's mean stays. Without it, the step reads as a rise or a fall, once the
     * cycle is taken out, each time the day goes past the hour learning began.
     */
    void removeFirstDayDrift(long learningStart) {
        int first = (int) Math.round(position(learningStart));
        double atStart = 1.5 * offset[Math.floorMod(first, HOURS)] - 0.5 * offset[Math.floorMod(first + 1, HOURS)];
        double atEnd = 1.5 * offset[Math.floorMod(first - 1, HOURS)] - 0.5 * offset[Math.floorMod(first - 2, HOURS)];
        double drift = atStart - atEnd;
        for (int hoursLater = 0; hoursLater < HOURS; hoursLater++) {
            offset[Math.floorMod(first + hoursLater, HOURS)] += (float) (drift * (hoursLater - (HOURS - 1) / 2.0) / HOURS);
        }
        updateMean();
    }

    /** Whether every hour of the day has been seen for about as long as an hour lasts. */
    boolean knowsWholeDay() {
        for (float w : weight) {
            if (w < 30) {
                return false;
            }
        }
        return true;
    }

    /** The first time at or after {@code time} (epoch ms) that is the middle of an hour. */
    static long nextHourMiddle(long time) {
        long middle = time - Math.floorMod(time, HOUR_MILLIS) + HOUR_MILLIS / 2;
        return middle >= time ? middle : middle + HOUR_MILLIS;
    }

    /** Hours counted from the middle of hour 0: the offset of hour h is at position h. */
    private static double position(long time) {
        return (Math.floorMod(time, DAY_MILLIS) - HOUR_MILLIS / 2) / (double) HOUR_MILLIS;
    }

    void writeTo(ByteBuffer out) {
        for (int h = 0; h < HOURS; h++) {
            out.putFloat(offset[h]).putShort((short) Math.round(weight[h] / WEIGHT_UNIT));
        }
    }

    void readFrom(ByteBuffer in) {
        for (int h = 0; h < HOURS; h++) {
            offset[h] = in.getFloat();
            weight[h] = in.getShort() * WEIGHT_UNIT;
        }
        updateMean();
    }
}
