package dev.vigil.gateway.prometheus;

import dev.vigil.gateway.prometheus.exposition.Metrics;
import dev.vigil.gateway.prometheus.prompb.Types;

/** A metric family's type, as the exposition format or remote write's metadata states it. */
public enum PromType {
    COUNTER, GAUGE, HISTOGRAM, GAUGE_HISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN;

    /** From remote write's {@code MetricMetadata.type}. */
    public static PromType of(Types.MetricMetadata.MetricType type) {
        return switch (type) {
            case COUNTER -> COUNTER;
            case GAUGE -> GAUGE;
            case HISTOGRAM -> HISTOGRAM;
            case GAUGEHISTOGRAM -> GAUGE_HISTOGRAM;
            case SUMMARY -> SUMMARY;
            case INFO -> INFO;
            case STATESET -> STATESET;
            default -> UNKNOWN;
        };
    }

    /** From the exposition format's {@code MetricFamily.type}. */
    public static PromType of(Metrics.MetricType type) {
        return switch (type) {
            case COUNTER -> COUNTER;
            case GAUGE -> GAUGE;
            case HISTOGRAM -> HISTOGRAM;
            case GAUGE_HISTOGRAM -> GAUGE_HISTOGRAM;
            case SUMMARY -> SUMMARY;
            default -> UNKNOWN;
        };
    }
}
