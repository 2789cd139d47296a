package dev.vigil.collectors.agent;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns monotonic counters into per-second rates at the edge.
 *
 * <p>The first reading of a series yields nothing (there is no interval yet, and a rate against zero
 * would be a bogus spike after every restart); so does a reading lower than the last one (the counter
 * was reset: an interface came back, a process restarted) and a reading at the same instant. Series not
 * read for a while are forgotten, so vanished interfaces or disks do not leak memory.
 */
public final class RateTracker {

    private record Reading(double value, long nanos, long tick) {
    }

    private final Map<String, Reading> last = new HashMap<>();
    private long tick;

    /** The rate per second since the series' previous reading, if there is a meaningful one. */
    public OptionalDouble rate(String seriesKey, double value, long nanos) {
        Reading previous = last.put(seriesKey, new Reading(value, nanos, tick));
        if (previous == null || value < previous.value() || nanos <= previous.nanos()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((value - previous.value()) * 1e9 / (nanos - previous.nanos()));
    }

    /** Marks the end of a tick and forgets series not read in the last {@code maxIdleTicks} ticks. */
    public void endTick(int maxIdleTicks) {
        tick++;
        for (Iterator<Reading> it = last.values().iterator(); it.hasNext(); ) {
            if (tick - it.next().tick() > maxIdleTicks) {
                it.remove();
            }
        }
    }

    /** How many series it remembers. */
    public int size() {
        return last.size();
    }
}
