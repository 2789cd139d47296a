package dev.vigil.streams.alerts;

import java.nio.ByteBuffer;

/**
 * The host-level alert of one host: open while at least {@link AlertPolicy#hostMinSeries()} of its series
 * went anomalous together, until none of them is. Series that open while it is open are its evidence and
 * never alert on their own, so an incident that touches forty series is one alert, not forty.
 */
public final class HostAlert {

    /** What one batch did to the host alert. */
    public enum Transition { NONE, OPENED, UPDATED, RESOLVED }

    static final int BYTES = 2 * Long.BYTES + Double.BYTES + Integer.BYTES + 1;

    private boolean open;
    private long openedAt;
    private long lastEmittedAt;
    private double peak;
    private int evidenceAtLastEmit;

    public boolean isOpen() {
        return open;
    }

    /**
     * Folds in the state of the host's series after a batch.
     *
     * @param time        the batch's time
     * @param openSeries  how many of the host's series have an open alert
     * @param peakScore   the highest peak among them
     */
    public Transition observe(long time, int openSeries, double peakScore, AlertPolicy policy) {
        if (!isOpen()) {
            if (openSeries < policy.hostMinSeries()) {
                return Transition.NONE;
            }
            open = true;
            openedAt = time;
            peak = peakScore;
            lastEmittedAt = time;
            evidenceAtLastEmit = openSeries;
            return Transition.OPENED;
        }
        if (openSeries == 0) {
            open = false;
            return Transition.RESOLVED;
        }
        peak = Math.max(peak, peakScore);
        if (openSeries != evidenceAtLastEmit || time - lastEmittedAt >= policy.updateEvery().toMillis()) {
            lastEmittedAt = time;
            evidenceAtLastEmit = openSeries;
            return Transition.UPDATED;
        }
        return Transition.NONE;
    }

    /** Start of the current incident, or of the last one once resolved. */
    public long openedAt() {
        return openedAt;
    }

    public double peak() {
        return peak;
    }

    public void writeTo(ByteBuffer out) {
        out.put((byte) (open ? 1 : 0)).putLong(openedAt).putLong(lastEmittedAt).putDouble(peak).putInt(evidenceAtLastEmit);
    }

    public static HostAlert readFrom(ByteBuffer in) {
        HostAlert alert = new HostAlert();
        alert.open = in.get() == 1;
        alert.openedAt = in.getLong();
        alert.lastEmittedAt = in.getLong();
        alert.peak = in.getDouble();
        alert.evidenceAtLastEmit = in.getInt();
        return alert;
    }
}
