package dev.vigil.detection;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What has followed a value, by the part of the series' range it was in: the range is cut into {@value #BINS} bins
 * (plus one below and one above it), and for each bin the grid keeps the lowest and highest value that ever came next
 * and how often the bin was left. The detector's transition test asks whether a value is outside everything that
 * ever followed a value like the previous one.
 *
 * <p>The grid is fixed once, over the range seen when warm-up is over and a day of data is in, so that it spans the
 * daily cycle and never re-bins. {@value #BYTES} bytes in the detector's state.
 */
final class TransitionGrid {

    /** Bins across the range the grid is fixed over. */
    static final int BINS = 4;
    /** Times a bin must have been left before what followed it counts as known. */
    static final int VISITS = 20;
    /** Bytes of the grid in {@link #write}. */
    static final int BYTES = 2 * Double.BYTES + (BINS + 2) * (2 * Double.BYTES + Integer.BYTES);

    /** The range the bins cut; unset while {@code high <= low}. */
    private double low;
    private double high;
    private final double[] nextMin = new double[BINS + 2];
    private final double[] nextMax = new double[BINS + 2];
    private final int[] visits = new int[BINS + 2];

    boolean isFixed() {
        return high > low;
    }

    /** Fixes the grid over {@code low} to {@code high} (above {@code low}), knowing nothing yet of what follows. */
    void fix(double low, double high) {
        this.low = low;
        this.high = high;
        Arrays.fill(nextMin, Double.POSITIVE_INFINITY);
        Arrays.fill(nextMax, Double.NEGATIVE_INFINITY);
    }

    /** The bin of {@code value}: 0 below the range, {@value #BINS} + 1 above it. */
    int binOf(double value) {
        return 1 + (int) Math.max(-1, Math.min(BINS, Math.floor((value - low) / (high - low) * BINS)));
    }

    /** Whether what followed the bin's values is known: the bin has been left {@value #VISITS} times. */
    boolean isKnown(int bin) {
        return visits[bin] >= VISITS;
    }

    int visits(int bin) {
        return visits[bin];
    }

    /** Lowest value that followed one in {@code bin}. */
    double lowestNext(int bin) {
        return nextMin[bin];
    }

    /** Highest value that followed one in {@code bin}. */
    double highestNext(int bin) {
        return nextMax[bin];
    }

    /** Learns that {@code value} followed a value in {@code bin}. */
    void learn(int bin, double value) {
        nextMin[bin] = Math.min(nextMin[bin], value);
        nextMax[bin] = Math.max(nextMax[bin], value);
        if (visits[bin] < Integer.MAX_VALUE) {
            visits[bin]++;
        }
    }

    void write(ByteBuffer buffer) {
        buffer.putDouble(low).putDouble(high);
        for (int b = 0; b < BINS + 2; b++) {
            buffer.putDouble(nextMin[b]).putDouble(nextMax[b]).putInt(visits[b]);
        }
    }

    void read(ByteBuffer buffer) {
        low = buffer.getDouble();
        high = buffer.getDouble();
        for (int b = 0; b < BINS + 2; b++) {
            nextMin[b] = buffer.getDouble();
            nextMax[b] = buffer.getDouble();
            visits[b] = buffer.getInt();
        }
    }
}
