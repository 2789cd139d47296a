package dev.vigil.detection;

import java.nio.ByteBuffer;

/**
 * Peaks over threshold, per test of one series: how often each of the detector's tests is exceeded lately and how
 * far its exceedances go, turned into the surprise, in nats, of a new exceedance. This is what puts every test on one
 * scale: a test this series exceeds often, or by a lot, is less surprising when it is exceeded again.
 *
 * <p>Five floats per test, written in the detector's state ({@link #BYTES_PER_TEST} bytes each).
 */
final class ExceedanceTails {

    /** Bytes of one test's state in {@link #write}. */
    static final int BYTES_PER_TEST = 5 * Float.BYTES;
    /** Weight left of a past exceedance when a new one is learned: a memory of the last few dozen. */
    private static final double EXCESS_MEMORY = 0.95;
    /** Weight of a new evaluation in a test's exceedance rate: a memory of about a thousand. */
    private static final double EXCEEDANCE_RATE_ALPHA = 0.001;
    /** Evaluations the exchangeable chance of an exceedance is worth against a test's own record. */
    private static final double RATE_PRIOR_WEIGHT = 10;
    /** The heaviest tail a test's exceedances are fitted with: a generalized Pareto of shape 0.5 (index 2). */
    private static final double MAX_TAIL_SHAPE = 0.5;
    /** Exceedances at which a test's fitted tail shape counts half. */
    private static final double SHAPE_EVIDENCE = 10;
    /** Weight of the prior exceedance (the caller's gap prior) against a series' own exceedances. */
    private static final double EXCESS_PRIOR_WEIGHT = 1;

    /** Per test, the decayed sum of how far its exceedances went, of their squares, and their decayed count. */
    private final float[] excessSum;
    private final float[] excessSquares;
    private final float[] excessWeight;
    /** Per test, the decayed count of its exceedances and of its evaluations: how often it is exceeded lately. */
    private final float[] exceedances;
    private final float[] evaluations;

    ExceedanceTails(int tests) {
        excessSum = new float[tests];
        excessSquares = new float[tests];
        excessWeight = new float[tests];
        exceedances = new float[tests];
        evaluations = new float[tests];
    }

    /**
     * Surprise, in nats, of a value {@code excess} beyond the most extreme of {@code n} earlier ones in test
     * {@code test}. Going beyond is as likely as being the most extreme of n + 1 exchangeable values, 1 in n + 1,
     * or as often as this series has lately gone beyond in this test, whichever is more (a filling disk sets a
     * record every sample); times the chance of going beyond by {@code excess} or more, from a generalized Pareto
     * tail fitted to how far this series' own exceedances in this test have gone (the shape by the method of
     * moments, between an exponential tail and one as heavy as a Pareto's of index 2), with {@code gapPrior} as a
     * prior exceedance.
     */
    double surprise(int test, double n, double excess, double gapPrior) {
        double weight = EXCESS_PRIOR_WEIGHT + excessWeight[test];
        double mean = (EXCESS_PRIOR_WEIGHT * gapPrior + excessSum[test]) / weight;
        // The prior is an exponential exceedance: its second moment is twice its mean squared.
        double variance = (EXCESS_PRIOR_WEIGHT * 2 * gapPrior * gapPrior + excessSquares[test]) / weight - mean * mean;
        double ratio = mean * mean / Math.max(variance, 1e-300);
        // A shape estimated from a few exceedances is noise: it counts as far as there have been many.
        double evidence = excessWeight[test] / (excessWeight[test] + SHAPE_EVIDENCE);
        double shape = evidence * Math.max(0, Math.min(MAX_TAIL_SHAPE, 0.5 * (1 - ratio)));
        double scale = Math.max(0.5 * mean * (1 + Math.min(ratio, 1)), 1e-12);
        double beyondNats = shape > 0 ? Math.log1p(shape * excess / scale) / shape : excess / scale;
        // Either side; and how often this test went beyond lately, with the exchangeable chance as a prior worth
        // RATE_PRIOR_WEIGHT evaluations, so that a test with little track record is not yet trusted to be rare.
        double exchangeable = 2 / (n + 2);
        double lately = (exceedances[test] + RATE_PRIOR_WEIGHT * exchangeable) / (evaluations[test] + RATE_PRIOR_WEIGHT);
        double chance = Math.max(exchangeable, lately);
        return -Math.log(chance) + beyondNats;
    }

    /**
     * Learns from one evaluation of {@code test}: how often it is exceeded (a memory of about
     * 1 / {@value #EXCEEDANCE_RATE_ALPHA} evaluations) and, when {@code excess > 0}, how far (a memory of the
     * last few dozen exceedances).
     */
    void observe(int test, double excess) {
        boolean exceeded = excess > 0;
        exceedances[test] = (float) (exceedances[test] * (1 - EXCEEDANCE_RATE_ALPHA) + (exceeded ? 1 : 0));
        evaluations[test] = (float) (evaluations[test] * (1 - EXCEEDANCE_RATE_ALPHA) + 1);
        if (exceeded) {
            excessSum[test] = (float) (excessSum[test] * EXCESS_MEMORY + excess);
            excessWeight[test] = (float) (excessWeight[test] * EXCESS_MEMORY + 1);
            excessSquares[test] = (float) (excessSquares[test] * EXCESS_MEMORY + excess * excess);
        }
    }

    void write(ByteBuffer buffer) {
        for (int t = 0; t < excessSum.length; t++) {
            buffer.putFloat(excessSum[t]).putFloat(excessWeight[t]).putFloat(excessSquares[t]).putFloat(exceedances[t])
                    .putFloat(evaluations[t]);
        }
    }

    void read(ByteBuffer buffer) {
        for (int t = 0; t < excessSum.length; t++) {
            excessSum[t] = buffer.getFloat();
            excessWeight[t] = buffer.getFloat();
            excessSquares[t] = buffer.getFloat();
            exceedances[t] = buffer.getFloat();
            evaluations[t] = buffer.getFloat();
        }
    }
}
