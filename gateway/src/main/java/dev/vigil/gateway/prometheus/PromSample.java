package dev.vigil.gateway.prometheus;

import java.util.Map;
import java.util.Objects;

/**
 * One Prometheus sample as remote write and scraping both deliver it, before mapping: the series name
 * ({@code __name__}), its other labels (the target's {@code instance} and {@code job} among them), the value and
 * its time in epoch milliseconds.
 */
public record PromSample(String name, Map<String, String> labels, double value, long timestampMillis) {

    /** Prometheus' staleness marker: a NaN with this exact bit pattern says "this series ended" (model/value.StaleNaN). */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    public PromSample {
        Objects.requireNonNull(name, "name can't be null");
        labels = Map.copyOf(labels);
    }

    /** Whether this is a staleness marker rather than a value. */
    public boolean isStale() {
        return isStaleMarker(value);
    }

    /** Whether {@code value} is Prometheus' staleness marker rather than a value (any other NaN is a value, refused). */
    public static boolean isStaleMarker(double value) {
        return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
    }
}
