package dev.vigil.gateway.model;

import java.util.Map;
import java.util.Objects;

/**
 * One observation of one series as every protocol maps it, before the gateway checks it against the metric contract
 * and turns totals into rates: the protocol-neutral model between a protocol (OTLP, remote write, scrape) and the
 * {@code BatchPublisher}.
 *
 * @param series     the series it belongs to (host, name, labels)
 * @param unit       UCUM unit as OpenTelemetry writes it, empty if unknown
 * @param timeNanos  when it was observed, Unix epoch nanoseconds
 * @param startNanos for {@link PointKind#CUMULATIVE} and {@link PointKind#DELTA}: when counting started, 0 if unknown
 * @param value      the value (a level, a total, or a delta, as {@code kind} says)
 * @param kind       how to read {@code value}
 */
public record Point(Series series, String unit, long timeNanos, long startNanos, double value, PointKind kind) {

    public Point {
        Objects.requireNonNull(series, "series can't be null");
        Objects.requireNonNull(unit, "unit can't be null");
        Objects.requireNonNull(kind, "kind can't be null");
    }

    /** A point of a series made for it alone. */
    public Point(String hostId, String name, Map<String, String> labels, String unit, long timeNanos, long startNanos, double value,
                 PointKind kind) {
        this(new Series(hostId, name, labels), unit, timeNanos, startNanos, value, kind);
    }

    /** A level. */
    public static Point gauge(String hostId, String name, Map<String, String> labels, String unit, long timeNanos, double value) {
        return new Point(hostId, name, labels, unit, timeNanos, 0, value, PointKind.GAUGE);
    }

    public String hostId() {
        return series.hostId();
    }

    public String name() {
        return series.name();
    }

    /** The series' labels, sorted by name. */
    public Map<String, String> labels() {
        return series.labels();
    }

    /** The key of its series ({@link Series#key()}). */
    public String seriesKey() {
        return series.key();
    }
}
