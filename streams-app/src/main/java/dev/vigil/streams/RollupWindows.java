package dev.vigil.streams;

import dev.vigil.avro.RollupResolution;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.SeriesState;
import dev.vigil.streams.state.WindowAccumulator;

/**
 * Each series' one-minute and one-hour rollup windows, and what a closed minute feeds: the forecast issued then, and
 * the watch on bounded series running out ({@link ExhaustionWatch}).
 *
 * <p>A series' samples only move forward in time, so when one lands in a later window the series' previous
 * window can never receive more: it is emitted at once. A series that falls silent has its window emitted by
 * {@link #closeDue} once the task's clock passes the window's end plus the grace.
 */
final class RollupWindows {

    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;

    private final TopologySettings settings;
    private final ScoringMetrics metrics;
    private final ProcessorOutput output;
    private final ExhaustionWatch exhaustion;

    RollupWindows(TopologySettings settings, ScoringMetrics metrics, ProcessorOutput output, ExhaustionWatch exhaustion) {
        this.settings = settings;
        this.metrics = metrics;
        this.output = output;
        this.exhaustion = exhaustion;
    }

    static long sizeOf(RollupResolution resolution) {
        return resolution == RollupResolution.MINUTE ? MINUTE : HOUR;
    }

    /**
     * Adds a scored sample to its series' windows.
     *
     * @param recordTime   timestamp for what this emits: the record that brought the sample
     * @param observedTime newest sample time the task has seen: a window that ended (plus the grace) before it is closed
     */
    void add(long recordTime, String hostId, HostState host, SeriesState series, long time, double value, long observedTime) {
        WindowAccumulator minute = series.minute();
        long minuteStart = time - Math.floorMod(time, MINUTE);
        if (minute != null && minute.windowStart() != minuteStart) {
            emit(recordTime, hostId, host, series, minute, RollupResolution.MINUTE);
            minute = null;
        }
        WindowAccumulator hour = series.hour();
        long hourStart = time - Math.floorMod(time, HOUR);
        if (hour != null && hour.windowStart() != hourStart) {
            emit(recordTime, hostId, host, series, hour, RollupResolution.HOUR);
            hour = null;
        }
        long grace = settings.rollupGrace().toMillis();
        if (minute == null && minuteStart + MINUTE + grace <= observedTime) {
            metrics.samplesLateForRollups.increment();
        } else {
            if (minute == null) {
                minute = WindowAccumulator.startingAt(minuteStart);
            }
            minute.add(value);
        }
        if (hour == null && hourStart + HOUR + grace > observedTime) {
            hour = WindowAccumulator.startingAt(hourStart);
        }
        if (hour != null) {
            hour.add(value);
        }
        series.minute(minute);
        series.hour(hour);
    }

    /** Emits the host's windows that ended by {@code dueBy}, stamped {@code wallClock}. */
    void closeDue(long wallClock, String hostId, HostState host, long dueBy) {
        for (SeriesState series : host.allSeries()) {
            if (series.minute() != null && series.minute().windowStart() + MINUTE <= dueBy) {
                emit(wallClock, hostId, host, series, series.minute(), RollupResolution.MINUTE);
                series.minute(null);
            }
            if (series.hour() != null && series.hour().windowStart() + HOUR <= dueBy) {
                emit(wallClock, hostId, host, series, series.hour(), RollupResolution.HOUR);
                series.hour(null);
            }
        }
    }

    private void emit(long recordTime, String hostId, HostState host, SeriesState series, WindowAccumulator window,
                      RollupResolution resolution) {
        output.rollup(hostId, recordTime, OutputRecords.rollup(hostId, series, window, resolution));
        if (resolution == RollupResolution.MINUTE) {
            // One forecast per series per minute, issued when its minute window closes.
            long issuedAt = series.lastTimestamp();
            long target = issuedAt + settings.forecastHorizon().toMillis();
            output.forecast(hostId, recordTime, OutputRecords.forecast(hostId, series, issuedAt, target, series.detector().forecast(target)));
            exhaustion.minuteClosed(recordTime, hostId, host, series, window);
        }
    }
}
