package dev.vigil.gateway.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dev.vigil.avro.MetricKind;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.Refusals;
import dev.vigil.schemas.MetricContract;

/**
 * Turns the points of one request into one {@link dev.vigil.avro.MetricBatch} per host, already encoded
 * ({@link EncodedBatch}), without any I/O: each point is checked against {@link MetricContract} (host id, name, labels,
 * unit, a finite value) and the series bound of its host, then
 * gauges become {@code GAUGE} samples and cumulative and delta points {@code COUNTER} samples holding their per-second
 * rate ({@link SeriesTable}), named as the point and with {@code /s} added to the unit. Thread-safe.
 */
public final class BatchAssembler {

    /** The batches of one request, one per host in the order of their first point, and what was refused of it. */
    public record Assembled(List<EncodedBatch> batches, int acceptedPoints, Refusals refusals) {
    }

    private final SeriesTable series;

    /**
     * @param maxSeriesPerHost most series per host ({@code max.series.per.host})
     * @param maxRateSeries    most cumulative series whose last point is remembered
     * @param staleness        how long an unseen series is remembered
     */
    public BatchAssembler(int maxSeriesPerHost, int maxRateSeries, Duration staleness) {
        MetricBatchEncoding.checkSchema();
        this.series = new SeriesTable(maxSeriesPerHost, maxRateSeries, staleness);
    }

    /**
     * The batches for {@code points}, received at {@code nowMillis}; refused points are added to {@code refusals}.
     * Advances the rate state: the caller has already made sure the request will be sent.
     */
    public Assembled assemble(List<Point> points, long nowMillis, Refusals refusals) {
        Map<String, MetricBatchEncoding.HostBatch> byHost = new LinkedHashMap<>();
        int accepted = 0;
        for (Point point : points) {
            String valueProblem = MetricContract.valueProblem(point.value());
            if (valueProblem != null) {
                refusals.add(RefusalReason.NOT_FINITE, point.name() + ": " + valueProblem);
                continue;
            }
            boolean gauge = point.kind() == PointKind.GAUGE;
            // A series the table already holds passed the contract when it was admitted: its host id, name and labels
            // are its key. Only what can differ from one point to the next is checked again: the value, the unit.
            SeriesTable.Entry entry = series.find(point.series());
            if (entry == null) {
                if (check(point, !gauge, refusals) != null) {
                    continue;
                }
                entry = series.admit(point.series());
                if (entry == null) {
                    refusals.add(RefusalReason.TOO_MANY_SERIES, "host '" + point.hostId() + "' has its max.series.per.host series already; "
                            + point.name() + " is a new one");
                    continue;
                }
            }
            SeriesTable.UnitPart unit = entry.unitPart(point.unit(), !gauge);
            if (unit.problem() != null) {
                refusals.add(RefusalReason.INVALID_UNIT, point.name() + ": " + unit.problem());
                continue;
            }
            double value;
            if (gauge) {
                value = point.value();
            } else {
                OptionalDouble rate = series.rate(entry, point);
                if (rate.isEmpty()) {
                    if (point.kind() == PointKind.DELTA) {
                        refusals.add(RefusalReason.NO_INTERVAL, point.name() + ": a delta without a start time before its time");
                    } else {
                        accepted++; // taken: the first point of a series, or a reset, gives no rate yet
                    }
                    continue;
                }
                value = rate.getAsDouble();
            }
            byHost.computeIfAbsent(point.hostId(), MetricBatchEncoding.HostBatch::new)
                    .add(entry.seriesPart(), value, unit.encoded(), gauge ? MetricKind.GAUGE : MetricKind.COUNTER, point.timeNanos() / 1_000_000);
            accepted++;
        }
        List<EncodedBatch> batches = new ArrayList<>(byHost.size());
        byHost.values().forEach(batch -> batches.add(batch.finish(nowMillis)));
        return new Assembled(batches, accepted, refusals);
    }

    /** The unit of a rate of a total in {@code unit}: {@code By} -> {@code By/s}; a count without unit -> {@code 1/s}. */
    public static String rateUnit(String unit) {
        return (unit.isEmpty() ? "1" : unit) + "/s";
    }

    /** Forgets idle series; the gateway calls it every {@link SeriesTable#SWEEP_EVERY}. */
    public void expireIdle() {
        series.expireIdle();
    }

    /** How many cumulative series have a remembered point. */
    public int rateSeries() {
        return series.rateSeries();
    }

    /** How many series are counted against their host's bound. */
    public int knownSeries() {
        return series.size();
    }

    /** The contract checks of a point of a new series: its host id, name, labels and unit ({@code rate}: a rate's). */
    private static RefusalReason check(Point point, boolean rate, Refusals refusals) {
        if (!MetricContract.isHostId(point.hostId())) {
            return refuse(refusals, RefusalReason.INVALID_HOST, "host id '" + abbreviate(point.hostId()) + "' is not "
                    + MetricContract.HOST_ID_RULE);
        }
        String problem = MetricContract.metricNameProblem(point.name());
        if (problem != null) {
            return refuse(refusals, RefusalReason.INVALID_NAME, problem);
        }
        problem = MetricContract.labelsProblem(point.labels());
        if (problem != null) {
            return refuse(refusals, RefusalReason.INVALID_LABELS, point.name() + ": " + problem);
        }
        problem = SeriesTable.UnitPart.of(point.unit(), rate).problem();
        if (problem != null) {
            return refuse(refusals, RefusalReason.INVALID_UNIT, point.name() + ": " + problem);
        }
        return null;
    }

    private static RefusalReason refuse(Refusals refusals, RefusalReason reason, String message) {
        refusals.add(reason, message);
        return reason;
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
