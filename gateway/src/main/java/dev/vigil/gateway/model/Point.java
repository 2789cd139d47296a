package dev.vigil.gateway.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One observation of one series as every protocol maps it, before the gateway checks it against the metric contract
 * and turns totals into rates: the protocol-neutral model between a protocol (OTLP, remote write, scrape) and the
 * {@code BatchPublisher}.
 *
 * @param hostId     the host it is about: the Kafka key of its batch
 * @param name       the metric name, already in Vigil's form
 * @param labels     the series labels (sorted, so that the series identity does not depend on the protocol's order)
 * @param unit       UCUM unit as OpenTelemetry writes it, empty if unknown
 * @param timeNanos  when it was observed, Unix epoch nanoseconds
 * @param startNanos for {@link PointKind#CUMULATIVE} and {@link PointKind#DELTA}: when counting started, 0 if unknown
 * @param value      the value (a level, a total, or a delta, as {@code kind} says)
 * @param kind       how to read {@code value}
 */
public record Point(String hostId, String name, Map<String, String> labels, String unit, long timeNanos, long startNanos, double value,
                    PointKind kind) {

    public Point {
        Objects.requireNonNull(hostId, "hostId can't be null");
        Objects.requireNonNull(name, "name can't be null");
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        Objects.requireNonNull(unit, "unit can't be null");
        Objects.requireNonNull(kind, "kind can't be null");
    }

    /** A level. */
    public static Point gauge(String hostId, String name, Map<String, String> labels, String unit, long timeNanos, double value) {
        return new Point(hostId, name, labels, unit, timeNanos, 0, value, PointKind.GAUGE);
    }

    /**
     * The series this point belongs to: host, name and labels, as one key. Each part is prefixed with its length, so
     * that no two different series share a key whatever characters they hold: the gateway skips the contract checks of
     * a point whose key it has admitted before, and a refused label name such as {@code a=b} must not pass for another.
     */
    public String seriesKey() {
        StringBuilder key = new StringBuilder(hostId.length() + name.length() + 24 * labels.size() + 8);
        part(key, hostId);
        part(key, name);
        labels.forEach((label, value) -> part(part(key, label), value));
        return key.toString();
    }

    private static StringBuilder part(StringBuilder key, String text) {
        return key.append(text.length()).append(':').append(text);
    }

    /** This point under another name and unit (a histogram's {@code _count}, a rate's unit). */
    public Point renamed(String newName, String newUnit) {
        return new Point(hostId, newName, labels, newUnit, timeNanos, startNanos, value, kind);
    }
}
