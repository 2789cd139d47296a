package dev.vigil.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * The simulated time of one fleet evaluation: {@code ticks} samples per series, one per {@code interval} from
 * {@code start}, and the end of the warm-up, before which openings are not held against the detector.
 *
 * <p>The warm-up is the first day plus the detector's own warm-up: a detector scores nothing for its first
 * samples and does not know a whole day's range until a day is in, so the first day of a fresh fleet says
 * how the pipeline starts, not how noisy it is. Counting starts at its end, so day 2 is counted from 00:25
 * (with the detector's 150 samples at 10 s) and every later day whole.
 *
 * @param start     epoch milliseconds of the first sample
 * @param interval  milliseconds between samples
 * @param ticks     samples per series
 * @param warmUpEnd epoch milliseconds from which openings count
 * @param hosts     hosts in the fleet
 */
record FleetTimeline(long start, long interval, long ticks, long warmUpEnd, int hosts) {

    static final long DAY = Duration.ofDays(1).toMillis();

    FleetTimeline {
        if (interval <= 0 || ticks < 1 || hosts < 1) {
            throw new IllegalArgumentException("interval, ticks and hosts must be positive");
        }
        if (warmUpEnd < start) {
            throw new IllegalArgumentException("the warm-up cannot end before the start");
        }
    }

    /** {@code days} days of samples every {@code interval}, warm-up the first day plus {@code detectorWarmUpSamples}. */
    static FleetTimeline of(Instant start, Duration interval, int days, int detectorWarmUpSamples, int hosts) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1");
        }
        long startMillis = start.toEpochMilli();
        long intervalMillis = interval.toMillis();
        return new FleetTimeline(startMillis, intervalMillis, days * DAY / intervalMillis, startMillis + DAY + detectorWarmUpSamples * intervalMillis,
                hosts);
    }

    /** The warm-up's length, for the simulator's own warm-up before the first anomaly. */
    Duration warmUp() {
        return Duration.ofMillis(warmUpEnd - start);
    }

    /** Just after the last sample: the end of the period the run covers. */
    long end() {
        return start + ticks * interval;
    }

    /** Days the run touches, the last one possibly partial. */
    int days() {
        return (int) ((end() - start + DAY - 1) / DAY);
    }

    /** The day (from 1) that {@code time} falls on. */
    int dayOf(long time) {
        return (int) ((time - start) / DAY) + 1;
    }

    boolean inWarmUp(long time) {
        return time < warmUpEnd;
    }

    /** How much of {@code day} (from 1) is warm-up, in milliseconds. */
    long warmUpIn(int day) {
        long dayStart = start + (day - 1) * DAY;
        return Math.max(0, Math.min(warmUpEnd, dayStart + DAY) - dayStart);
    }

    /** Host-days of {@code day} (from 1) after the warm-up and within the run. */
    double hostDaysCounted(int day) {
        long from = Math.max(start + (day - 1) * DAY, warmUpEnd);
        long to = Math.min(start + day * DAY, end());
        return Math.max(0, to - from) * (double) hosts / DAY;
    }

    /** Host-days of the whole run after the warm-up. */
    double hostDaysCounted() {
        return Math.max(0, end() - warmUpEnd) * (double) hosts / DAY;
    }

    /** {@code count} events after the warm-up, per host-day after the warm-up; NaN when the run ends in the warm-up. */
    double perHostDay(long count) {
        return perHostDay(count, hostDaysCounted());
    }

    /** {@code count} events in {@code hostDays} host-days; NaN for no host-days. */
    static double perHostDay(long count, double hostDays) {
        return hostDays == 0 ? Double.NaN : count / hostDays;
    }
}
