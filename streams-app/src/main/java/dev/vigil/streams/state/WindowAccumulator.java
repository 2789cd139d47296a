package dev.vigil.streams.state;

import java.nio.ByteBuffer;

/**
 * Count, min, max, mean, last and an estimated 95th percentile of one series over one tumbling window, in
 * constant space (80 bytes serialised) however many samples the window holds.
 *
 * <p>Up to {@value #EXACT_UP_TO} samples (a minute of 10-second samples) the percentile is exact: the
 * nearest rank over the samples themselves. Beyond that it is the P² estimate of Jain and Chlamtac (CACM
 * 1985): five markers whose heights track the minimum, the p/2, p and (1+p)/2 quantiles and the maximum,
 * moved by piecewise-parabolic interpolation as samples arrive. The markers start from the exact order
 * statistics of the first samples rather than from the first five, which P² does by default and which
 * leaves a 95th percentile far too low for hundreds of samples.
 */
public final class WindowAccumulator {

    static final double P = 0.95;
    static final int EXACT_UP_TO = 8;
    private static final double[] INCREMENTS = {0, P / 2, P, (1 + P) / 2, 1};
    /** Serialised size: window start, count, min, max, sum, last, the samples or markers, three marker positions. */
    static final int BYTES = Long.BYTES + Integer.BYTES + 4 * Double.BYTES + EXACT_UP_TO * Double.BYTES + 3 * Integer.BYTES;

    private long windowStart;
    private int count;
    private double min;
    private double max;
    private double sum;
    private double last;
    /** The samples, sorted, while there are at most {@value #EXACT_UP_TO}; then the five marker heights. */
    private final double[] heights = new double[EXACT_UP_TO];
    /** Marker positions, 1-based; the first is always 1 and the last always {@code count}. */
    private final int[] positions = new int[5];

    private WindowAccumulator(long windowStart) {
        this.windowStart = windowStart;
    }

    /** An empty window starting at {@code windowStart}. */
    public static WindowAccumulator startingAt(long windowStart) {
        return new WindowAccumulator(windowStart);
    }

    public void add(double value) {
        if (count == 0) {
            min = value;
            max = value;
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        sum += value;
        last = value;
        count++;
        if (count <= EXACT_UP_TO) {
            insertSorted(value, count - 1);
            return;
        }
        if (count == EXACT_UP_TO + 1) {
            startMarkers();
        }
        addToMarkers(value);
    }

    public long windowStart() {
        return windowStart;
    }

    public int count() {
        return count;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    public double last() {
        return last;
    }

    /** The 95th percentile: exact up to {@value #EXACT_UP_TO} samples, the P² estimate after. NaN for an empty window. */
    public double p95() {
        if (count == 0) {
            return Double.NaN;
        }
        if (count <= EXACT_UP_TO) {
            // Nearest rank: the smallest sample with at least 95 % of the samples at or below it.
            int rank = (int) Math.ceil(P * count);
            return heights[Math.max(0, rank - 1)];
        }
        return heights[2];
    }

    private void insertSorted(double value, int filled) {
        int i = filled;
        while (i > 0 && heights[i - 1] > value) {
            heights[i] = heights[i - 1];
            i--;
        }
        heights[i] = value;
    }

    /**
     * Turns the sorted samples into the five markers at the order statistics nearest their desired
     * positions, each at least one rank above the one before.
     */
    private void startMarkers() {
        int n = EXACT_UP_TO;
        double[] sorted = heights.clone();
        for (int i = 0; i < 5; i++) {
            int desired = (int) Math.round(1 + (n - 1) * INCREMENTS[i]);
            int lowest = i == 0 ? 1 : positions[i - 1] + 1;
            positions[i] = Math.min(Math.max(desired, lowest), n - (4 - i));
            heights[i] = sorted[positions[i] - 1];
        }
    }

    private void addToMarkers(double value) {
        int cell;
        if (value < heights[0]) {
            heights[0] = value;
            cell = 0;
        } else if (value >= heights[4]) {
            heights[4] = value;
            cell = 3;
        } else {
            cell = 0;
            while (cell < 3 && value >= heights[cell + 1]) {
                cell++;
            }
        }
        for (int i = cell + 1; i < 5; i++) {
            positions[i]++;
        }
        for (int i = 1; i <= 3; i++) {
            double desired = 1 + (count - 1) * INCREMENTS[i]; // count already includes this sample
            double offset = desired - positions[i];
            if ((offset >= 1 && positions[i + 1] - positions[i] > 1) || (offset <= -1 && positions[i - 1] - positions[i] < -1)) {
                int step = offset > 0 ? 1 : -1;
                double candidate = parabolic(i, step);
                heights[i] = heights[i - 1] < candidate && candidate < heights[i + 1] ? candidate : linear(i, step);
                positions[i] += step;
            }
        }
    }

    private double parabolic(int i, int step) {
        double below = positions[i] - positions[i - 1];
        double above = positions[i + 1] - positions[i];
        return heights[i] + (double) step / (positions[i + 1] - positions[i - 1])
                * ((below + step) * (heights[i + 1] - heights[i]) / above
                + (above - step) * (heights[i] - heights[i - 1]) / below);
    }

    private double linear(int i, int step) {
        return heights[i] + step * (heights[i + step] - heights[i]) / (positions[i + step] - positions[i]);
    }

    void writeTo(ByteBuffer out) {
        out.putLong(windowStart).putInt(count).putDouble(min).putDouble(max).putDouble(sum).putDouble(last);
        for (double height : heights) {
            out.putDouble(height);
        }
        for (int i = 1; i <= 3; i++) {
            out.putInt(positions[i]);
        }
    }

    static WindowAccumulator readFrom(ByteBuffer in) {
        WindowAccumulator window = new WindowAccumulator(in.getLong());
        window.count = in.getInt();
        window.min = in.getDouble();
        window.max = in.getDouble();
        window.sum = in.getDouble();
        window.last = in.getDouble();
        for (int i = 0; i < EXACT_UP_TO; i++) {
            window.heights[i] = in.getDouble();
        }
        for (int i = 1; i <= 3; i++) {
            window.positions[i] = in.getInt();
        }
        if (window.count > EXACT_UP_TO) {
            window.positions[0] = 1;
            window.positions[4] = window.count;
        }
        return window;
    }
}
