package dev.vigil.cli;

import java.util.List;
import java.util.Objects;

import dev.vigil.avro.AnomalyKind;

/**
 * What one simulated fleet did in an offline run through the detector and the alert lifecycle: every series
 * alert and host alert that opened, and every anomaly the simulator injected. Hosts and series are numbered
 * by position, from 0, in the simulator's order.
 */
record FleetRun(FleetTimeline timeline, int seriesPerHost, List<SeriesOpening> seriesOpenings, List<HostOpening> hostOpenings,
                List<Anomaly> anomalies, List<PredictedOpening> predictedOpenings) {

    FleetRun {
        Objects.requireNonNull(timeline, "timeline can't be null");
        seriesOpenings = List.copyOf(seriesOpenings);
        hostOpenings = List.copyOf(hostOpenings);
        anomalies = List.copyOf(anomalies);
        predictedOpenings = List.copyOf(predictedOpenings);
    }

    /** A run without PREDICTED alerts. */
    FleetRun(FleetTimeline timeline, int seriesPerHost, List<SeriesOpening> seriesOpenings, List<HostOpening> hostOpenings,
             List<Anomaly> anomalies) {
        this(timeline, seriesPerHost, seriesOpenings, hostOpenings, anomalies, List.of());
    }

    /** A PREDICTED alert that opened at {@code time} (the end of the minute it rests on) on a bounded series. */
    record PredictedOpening(int host, int series, long time) {
    }

    /**
     * A series alert that opened at {@code time}.
     *
     * @param announced true when it went out as an OPENED of its own; false when the host alert absorbed it (it
     *                  is then in the host alert's evidence and sends nothing itself)
     */
    record SeriesOpening(int host, int series, long time, boolean announced) {
    }

    /** A host alert that opened at {@code time}, with its evidence: the series whose alert was open then. */
    record HostOpening(int host, long time, List<Integer> evidence) {

        HostOpening {
            evidence = List.copyOf(evidence);
        }
    }

    /**
     * An injected anomaly, from its first sample at {@code start} to its last at {@code end}.
     *
     * @param alertOpenAtStart whether the series' alert was already open when the anomaly started (it cannot open
     *                         again until it resolves)
     */
    record Anomaly(int host, int series, AnomalyKind kind, long start, long end, boolean alertOpenAtStart) {
    }

    /** Samples scored: every series, every tick. */
    long samples() {
        return timeline.ticks() * timeline.hosts() * seriesPerHost;
    }
}
