package dev.vigil.sinks.clickhouse;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ClickHouse server's version and the optional features the sink's tables use when the server has them.
 * The tables have a portable core that works from 18.16 (the oldest server Vigil supports, and the only one
 * installable on Debian 12) up to current releases; each feature here is switched on by version.
 */
public record ServerVersion(int major, int minor) implements Comparable<ServerVersion> {

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+).*");

    /** Parses what {@code SELECT version()} returns, e.g. {@code 18.16.1} or {@code 24.8.4.13}. */
    public static ServerVersion parse(String version) {
        Matcher matcher = VERSION.matcher(Objects.requireNonNull(version, "version can't be null").strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a ClickHouse version: '" + version + "'");
        }
        return new ServerVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /** Table TTL (19.6): old rows expire by themselves; older servers need {@code RetentionJob}. */
    public boolean hasTtl() {
        return atLeast(19, 6);
    }

    /** Column compression codecs such as {@code CODEC(Delta, ZSTD)} (19.11 is where they settled). */
    public boolean hasCodecs() {
        return atLeast(19, 11);
    }

    /** {@code LowCardinality(String)} without the experimental switch 18.x needs (19.0). */
    public boolean hasLowCardinality() {
        return atLeast(19, 0);
    }

    public boolean atLeast(int major, int minor) {
        return compareTo(new ServerVersion(major, minor)) >= 0;
    }

    @Override
    public int compareTo(ServerVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
