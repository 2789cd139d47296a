package dev.vigil.prediction;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * The PREDICTED alert of one bounded series, and the rules that move it, once a minute with the series' newest
 * {@link ExhaustionForecaster.Estimate}:
 * <ul>
 *   <li>it opens when the series has been clearly rising, with its daily cycle known and the ceiling expected within the
 *       horizon ({@code alerts.predict.horizon}), for {@value #OPEN_AFTER_MINUTES} minutes in a row: a trend that has just
 *       restarted on a few noisy minutes can look clearly rising for a few minutes;</li>
 *   <li>while open, it is UPDATED when the expected time moves by more than a tenth of the time left (and at least
 *       {@value #MIN_MOVE_MINUTES} minutes), and otherwise every {@code alerts.update.every} as a heartbeat;</li>
 *   <li>it resolves once the exhaustion has not been expected within {@value #HOLD_FACTOR} times the horizon (or the
 *       trend has stopped rising at all) for {@value #RESOLVE_AFTER_MINUTES} minutes in a row. Staying open asks less than
 *       opening: a trend still aimed at the ceiling, clearly rising or not, so that neither an estimate hovering near the
 *       horizon nor a trend restarted after the leak changed pace flaps the alert.</li>
 * </ul>
 * {@value #BYTES} bytes of state.
 */
public final class PredictedAlert {

    /** What one estimate did to the alert. */
    public enum Transition { NONE, OPENED, UPDATED, RESOLVED }

    static final int BYTES = 1 + 4 * Long.BYTES + Double.BYTES + 3 * Long.BYTES;
    /**
     * Chosen on the healthy training fleets (seeds 101 and 102, 200 hosts x 7 days, never the seeds reported): there the
     * opening condition held at most 4 minutes in a row on a series that was not leaking, and it costs a leak's warning
     * 4 minutes.
     */
    static final int OPEN_AFTER_MINUTES = 5;
    static final double HOLD_FACTOR = 1.5;
    static final int RESOLVE_AFTER_MINUTES = 5;
    static final int MIN_MOVE_MINUTES = 5;
    private static final long MINUTE = 60_000;

    private boolean open;
    private long openedAt;
    private long lastEmittedAt;
    /** Since when the closed alert's condition has held; 0 while it does not. */
    private long holdingSince;
    /** When the open alert's condition stopped holding; 0 while it holds. */
    private long failingSince;
    private double ceiling;
    private long at;
    private long earliest;
    private long latest;

    public boolean isOpen() {
        return open;
    }

    /**
     * Folds in the estimate made at {@code now} (null when there is none).
     *
     * @param horizon     how far ahead an exhaustion opens the alert
     * @param updateEvery heartbeat of an open alert
     */
    public Transition observe(long now, ExhaustionForecaster.Estimate estimate, Duration horizon, Duration updateEvery) {
        Objects.requireNonNull(horizon, "horizon can't be null");
        boolean credible = estimate != null && estimate.rising() && estimate.cycleKnown() && estimate.inSight();
        if (!open) {
            if (!(credible && estimate.at() - now <= horizon.toMillis())) {
                holdingSince = 0;
                return Transition.NONE;
            }
            if (holdingSince == 0) {
                holdingSince = now;
            }
            if (now - holdingSince >= (OPEN_AFTER_MINUTES - 1) * MINUTE) {
                holdingSince = 0;
                open = true;
                openedAt = now;
                failingSince = 0;
                announce(now, estimate);
                return Transition.OPENED;
            }
            return Transition.NONE;
        }
        // Open, it needs no more than a trend still aimed at the ceiling: a trend restarted after the series changed course
        // is not clearly rising again for a while, and doubt alone is no sign that the resource stopped running out.
        boolean holds = estimate != null && estimate.cycleKnown() && estimate.inSight()
                && estimate.at() - now <= (long) (HOLD_FACTOR * horizon.toMillis());
        if (!holds) {
            if (failingSince == 0) {
                failingSince = now;
            }
            if (now - failingSince >= RESOLVE_AFTER_MINUTES * MINUTE) {
                open = false;
                lastEmittedAt = now;
                return Transition.RESOLVED;
            }
            return Transition.NONE;
        }
        failingSince = 0;
        long left = Math.max(0, at - now);
        boolean moved = Math.abs(estimate.at() - at) > Math.max(left / 10, MIN_MOVE_MINUTES * MINUTE);
        if (moved && now - lastEmittedAt >= MINUTE || now - lastEmittedAt >= updateEvery.toMillis()) {
            announce(now, estimate);
            return Transition.UPDATED;
        }
        return Transition.NONE;
    }

    private void announce(long now, ExhaustionForecaster.Estimate estimate) {
        lastEmittedAt = now;
        ceiling = estimate.ceiling();
        at = estimate.at();
        earliest = estimate.earliest();
        latest = estimate.latest();
    }

    /** When the current incident opened (or the last one, once resolved). */
    public long openedAt() {
        return openedAt;
    }

    /** The ceiling of the last estimate the alert announced. */
    public double ceiling() {
        return ceiling;
    }

    /** When the last estimate announced expected the ceiling (epoch ms). */
    public long at() {
        return at;
    }

    public long earliest() {
        return earliest;
    }

    /** High end of the last announced interval; {@link Long#MAX_VALUE} when unbounded. */
    public long latest() {
        return latest;
    }

    void writeTo(ByteBuffer out) {
        out.put((byte) (open ? 1 : 0)).putLong(holdingSince).putLong(openedAt).putLong(lastEmittedAt).putLong(failingSince)
                .putDouble(ceiling).putLong(at).putLong(earliest).putLong(latest);
    }

    void readFrom(ByteBuffer in) {
        open = in.get() == 1;
        holdingSince = in.getLong();
        openedAt = in.getLong();
        lastEmittedAt = in.getLong();
        failingSince = in.getLong();
        ceiling = in.getDouble();
        at = in.getLong();
        earliest = in.getLong();
        latest = in.getLong();
    }
}
