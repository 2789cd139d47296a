package dev.vigil.gateway.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One series as every protocol maps it: host, name and labels, with its key worked out once. A protocol that sees the
 * same series request after request (remote write, a scrape) may keep its {@code Series} and hand the same instance to
 * every point, so that the gateway's series table finds it by that key without building or hashing it again.
 */
public final class Series {

    private final String hostId;
    private final String name;
    private final Map<String, String> labels;
    private final String key;
    /** Where the gateway's series table keeps this series, once admitted; the table sets and checks it (SeriesTable). */
    private volatile Object place;

    /**
     * @param hostId the host it is about: the Kafka key of its batches
     * @param name   the metric name, already in Vigil's form
     * @param labels the series labels; kept sorted, so that the series' identity does not depend on the protocol's order
     */
    public Series(String hostId, String name, Map<String, String> labels) {
        this.hostId = Objects.requireNonNull(hostId, "hostId can't be null");
        this.name = Objects.requireNonNull(name, "name can't be null");
        this.labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        this.key = key(hostId, name, this.labels);
    }

    public String hostId() {
        return hostId;
    }

    public String name() {
        return name;
    }

    /** The labels, sorted by name. */
    public Map<String, String> labels() {
        return labels;
    }

    /**
     * Host, name and labels as one key. Each part is prefixed with its length, so that no two different series share a
     * key whatever characters they hold: the gateway skips the contract checks of a point whose key it has admitted
     * before, and a refused label name such as {@code a=b} must not pass for another.
     */
    public String key() {
        return key;
    }

    private static String key(String hostId, String name, Map<String, String> labels) {
        StringBuilder key = new StringBuilder(hostId.length() + name.length() + 24 * labels.size() + 8);
        part(key, hostId);
        part(key, name);
        labels.forEach((label, value) -> part(part(key, label), value));
        return key.toString();
    }

    private static StringBuilder part(StringBuilder key, String text) {
        return key.append(text.length()).append(':').append(text);
    }

    /** What the series table last said of where it keeps this series, or null: lets it skip looking the key up. */
    public Object place() {
        return place;
    }

    /** The table's note of where it keeps this series (only the table reads it). */
    public void place(Object place) {
        this.place = place;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Series series && key.equals(series.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return hostId + " " + name + labels;
    }
}
