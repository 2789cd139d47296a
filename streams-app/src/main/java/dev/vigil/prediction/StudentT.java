package dev.vigil.prediction;

/**
 * Student's t distribution, for a ratio whose standard error is itself estimated from few points: a slope over its
 * standard error from a line through five points is far from standard normal, and taking it as normal calls a slope
 * of noise significant hundreds of times more often than intended.
 */
final class StudentT {

    private StudentT() {
    }

    /**
     * The t quantile with {@code degreesOfFreedom} that has the same upper tail as {@code z} has for the standard normal
     * (the Cornish-Fisher expansion in 1/ν, Abramowitz and Stegun 26.7.5): {@code z} itself for many degrees of freedom,
     * more for few, infinite for none.
     */
    static double quantileLike(double z, double degreesOfFreedom) {
        if (!(degreesOfFreedom > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double z2 = z * z;
        double z3 = z2 * z;
        double z5 = z3 * z2;
        double z7 = z5 * z2;
        double z9 = z7 * z2;
        double g1 = (z3 + z) / 4;
        double g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
        double g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
        double g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
        double v = 1 / degreesOfFreedom;
        return z + v * (g1 + v * (g2 + v * (g3 + v * g4)));
    }
}
