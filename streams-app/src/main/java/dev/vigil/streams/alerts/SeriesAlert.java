package dev.vigil.streams.alerts;

import java.nio.ByteBuffer;

/**
 * The alert state of one series and the rules that move it: open when scores stay high; while open,
 * update when the peak score rises (at most once a minute) and otherwise every
 * {@link AlertPolicy#updateEvery()}; resolve with hysteresis; and hold a flapping series' alert open
 * instead of reopening it.
 */
public final class SeriesAlert {

    /** What one sample did to the alert. */
    public enum Transition { NONE, OPENED, UPDATED, RESOLVED }

    static final int BYTES = 5 * Long.BYTES + 3 * Double.BYTES + Integer.BYTES + 2;
    /** A rising peak is news, but not more than once a minute. */
    private static final long PEAK_UPDATE_SPACING = 60_000;

    private boolean open;
    private long highSince;
    private long calmSince;
    private long openedAt;
    private long lastEmittedAt;
    /** Start of the current flap window: the first open that counts towards flapping. */
    private long flapWindowStart;
    private double peak;
    private double announcedPeak;
    private double lastScore;
    /** Opens since {@link #flapWindowStart}. */
    private int opensInWindow;
    /** Whether this alert's OPENED went out; one that a host alert absorbed stays silent to the end. */
    private boolean announced;

    public boolean isOpen() {
        return open;
    }

    /** Folds one scored sample in. */
    public Transition observe(long time, double score, AlertPolicy policy) {
        lastScore = score;
        if (!isOpen()) {
            if (!policy.isAnomalous(score)) {
                highSince = 0;
                return Transition.NONE;
            }
            if (highSince == 0) {
                highSince = time;
            }
            if (time - highSince < policy.openAfter().toMillis()) {
                return Transition.NONE;
            }
            if (opensInWindow == 0 || time - flapWindowStart > policy.flapWindow().toMillis()) {
                flapWindowStart = time;
                opensInWindow = 0;
            }
            opensInWindow++;
            open = true;
            openedAt = highSince;
            lastEmittedAt = time;
            calmSince = 0;
            peak = score;
            announcedPeak = score;
            announced = true;
            return Transition.OPENED;
        }
        peak = Math.max(peak, score);
        if (score < policy.resolveThreshold()) {
            if (calmSince == 0) {
                calmSince = time;
            }
            long hold = isFlapping(policy) ? policy.flapWindow().toMillis() : policy.resolveAfter().toMillis();
            if (time - calmSince >= hold) {
                boolean wasAnnounced = announced;
                open = false;
                highSince = 0;
                calmSince = 0;
                announced = false;
                return wasAnnounced ? Transition.RESOLVED : Transition.NONE;
            }
        } else {
            calmSince = 0;
        }
        long sinceEmitted = time - lastEmittedAt;
        boolean peakRose = peak > announcedPeak && sinceEmitted >= Math.min(PEAK_UPDATE_SPACING, policy.updateEvery().toMillis());
        if (announced && (peakRose || sinceEmitted >= policy.updateEvery().toMillis())) {
            lastEmittedAt = time;
            announcedPeak = peak;
            return Transition.UPDATED;
        }
        return Transition.NONE;
    }

    /** A host alert took this series in as evidence before its own OPENED went out: it stays silent. */
    public void absorb() {
        announced = false;
    }

    public boolean isAnnounced() {
        return announced;
    }

    /**
     * Opened {@link AlertPolicy#flapLimit()} times within {@link AlertPolicy#flapWindow()}: it would flap if
     * resolved as usual, so it is held open until calm for a whole flap window.
     */
    public boolean isFlapping(AlertPolicy policy) {
        return opensInWindow >= policy.flapLimit();
    }

    /** Start of the current incident (when the scores first went high), or of the last one once resolved. */
    public long openedAt() {
        return openedAt;
    }

    public double peak() {
        return peak;
    }

    public double lastScore() {
        return lastScore;
    }

    public void writeTo(ByteBuffer out) {
        out.putLong(highSince).putLong(calmSince).putLong(openedAt).putLong(lastEmittedAt).putLong(flapWindowStart)
                .putDouble(peak).putDouble(announcedPeak).putDouble(lastScore).putInt(opensInWindow).put((byte) (announced ? 1 : 0)).put((byte) (open ? 1 : 0));
    }

    public static SeriesAlert readFrom(ByteBuffer in) {
        SeriesAlert alert = new SeriesAlert();
        alert.highSince = in.getLong();
        alert.calmSince = in.getLong();
        alert.openedAt = in.getLong();
        alert.lastEmittedAt = in.getLong();
        alert.flapWindowStart = in.getLong();
        alert.peak = in.getDouble();
        alert.announcedPeak = in.getDouble();
        alert.lastScore = in.getDouble();
        alert.opensInWindow = in.getInt();
        alert.announced = in.get() == 1;
        alert.open = in.get() == 1;
        return alert;
    }
}
