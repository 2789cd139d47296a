package dev.vigil.prediction;

import java.nio.ByteBuffer;

/**
 * A straight line through a series, least squares with weights that halve every {@code halfLife}: the newest point
 * counts most, and the line follows a trend that changes without a window to keep. O(1) per point and
 * {@value #BYTES} bytes: the weighted sums of 1, t, t², y, ty, y² and of the squared weights times 1, t, t² (for the
 * line's own uncertainty), with times in hours since the newest point, so that the sums stay small however long the
 * series runs. The caller keeps the time of the newest point.
 */
final class TrendFit {

    static final int BYTES = 9 * Double.BYTES;

    private final double halfLifeHours;
    private double w;
    private double wt;
    private double wtt;
    private double wy;
    private double wty;
    private double wyy;
    private double ww;
    private double wwt;
    private double wwtt;

    TrendFit(double halfLifeHours) {
        if (!(halfLifeHours > 0)) {
            throw new IllegalArgumentException("halfLifeHours must be positive, got " + halfLifeHours);
        }
        this.halfLifeHours = halfLifeHours;
    }

    double halfLifeHours() {
        return halfLifeHours;
    }

    /**
     * Makes this fit hold the same points as {@code other}, their weights times {@code share}, with its own half-life
     * from now on.
     */
    void restartFrom(TrendFit other, double share) {
        double share2 = share * share;
        w = share * other.w;
        wt = share * other.wt;
        wtt = share * other.wtt;
        wy = share * other.wy;
        wty = share * other.wty;
        wyy = share * other.wyy;
        ww = share2 * other.ww;
        wwt = share2 * other.wwt;
        wwtt = share2 * other.wwtt;
    }

    /** Moves every point held by {@code dy}: the same line, that much higher, with the same spread around it. */
    void shift(double dy) {
        wyy += 2 * dy * wy + dy * dy * w;
        wty += dy * wt;
        wy += dy * w;
    }

    /** Adds the value {@code y} read {@code hoursSincePrevious} after the previous point (ignored for the first). */
    void add(double hoursSincePrevious, double y) {
        if (w > 0) {
            double dt = Math.max(0, hoursSincePrevious);
            double decay = Math.pow(0.5, dt / halfLifeHours);
            // Re-centre on the new point (every t moves back by dt), then fade.
            wtt = decay * (wtt - 2 * dt * wt + dt * dt * w);
            wt = decay * (wt - dt * w);
            wty = decay * (wty - dt * wy);
            w *= decay;
            wy *= decay;
            wyy *= decay;
            double decay2 = decay * decay;
            wwtt = decay2 * (wwtt - 2 * dt * wwt + dt * dt * ww);
            wwt = decay2 * (wwt - dt * ww);
            ww *= decay2;
        }
        w += 1;
        ww += 1;
        wy += y;
        wyy += y * y;
    }

    /**
     * The line as of the newest point: its value and slope there and their standard errors; null while there is no line
     * yet (fewer than three points' worth, or all at one time).
     *
     * @param widening how much to widen the variances for points that are not independent (1 when they are)
     */
    Line line(double widening) {
        if (w < 3) {
            return null;
        }
        double meanT = wt / w;
        double stt = wtt - w * meanT * meanT;
        double effective = w * w / ww;
        if (!(stt > 1e-12) || effective <= 2.5) {
            return null;
        }
        double meanY = wy / w;
        double sty = wty - w * meanT * meanY;
        double syy = Math.max(0, wyy - w * meanY * meanY);
        double slope = sty / stt;
        double level = meanY - slope * meanT;
        double residualVariance = Math.max(0, syy - slope * sty) / w * effective / (effective - 2);
        // Var(slope) = s² Σ w²(t - t̄)² / Stt²; var(level at t = 0) from the same sums.
        double spreadT = Math.max(0, wwtt - 2 * meanT * wwt + meanT * meanT * ww);
        double slopeVariance = residualVariance * spreadT / (stt * stt);
        double crossT = wwt - meanT * ww;
        double levelVariance = residualVariance * (ww / (w * w) - 2 * meanT * crossT / (w * stt) + meanT * meanT * spreadT / (stt * stt));
        return new Line(level, slope, Math.sqrt(Math.max(0, levelVariance) * widening), Math.sqrt(slopeVariance * widening),
                Math.sqrt(residualVariance), effective - 2);
    }

    /**
     * A fitted line at the newest point.
     *
     * @param level        value of the line at the newest point
     * @param slope        change per hour
     * @param levelError   standard error of {@code level}
     * @param slopeError   standard error of {@code slope}
     * @param residual     standard deviation of the points around the line
     * @param degreesOfFreedom what the errors are estimated from: the points' effective number (for weights w,
     *                     (Σw)² / Σw²) less the line's two
     */
    record Line(double level, double slope, double levelError, double slopeError, double residual, double degreesOfFreedom) {

        /** The line's value {@code hours} after the newest point. */
        double at(double hours) {
            return level + slope * hours;
        }
    }

    void writeTo(ByteBuffer out) {
        out.putDouble(w).putDouble(wt).putDouble(wtt).putDouble(wy).putDouble(wty).putDouble(wyy).putDouble(ww).putDouble(wwt).putDouble(wwtt);
    }

    void readFrom(ByteBuffer in) {
        w = in.getDouble();
        wt = in.getDouble();
        wtt = in.getDouble();
        wy = in.getDouble();
        wty = in.getDouble();
        wyy = in.getDouble();
        ww = in.getDouble();
        wwt = in.getDouble();
        wwtt = in.getDouble();
    }
}
