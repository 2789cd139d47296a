package dev.vigil.gateway.prometheus;

import java.util.Map;
import java.util.function.Function;

/**
 * How one Prometheus series becomes Vigil samples, the same for remote write and scraping so that both land as the
 * same series:
 * <ul>
 *   <li>counters, and a histogram's or summary's {@code _count} and {@code _sum}: per-second rates;</li>
 *   <li>gauges, untyped series and a summary's quantiles: as they are;</li>
 *   <li>a histogram's {@code _bucket} series: dropped (see docs/ingest.md: buckets are cumulative per {@code le}
 *       and would multiply the series per host; {@code _count} and {@code _sum} keep the rate and the mean).</li>
 * </ul>
 * The family's type comes from the exposition format (scraping) or remote write's metadata, when known. Without it
 * (Prometheus sends metadata in separate requests, once a minute), the names decide: {@code _total} is a counter,
 * {@code _bucket} with an {@code le} label a bucket, anything else a gauge.
 */
public final class SeriesTreatment {

    /** What becomes of a series. */
    public enum Kind { RATE, GAUGE, DROP }

    private static final String[] FAMILY_SUFFIXES = {"_bucket", "_count", "_sum"};

    private SeriesTreatment() {
    }

    /**
     * @param name        the series name ({@code __name__})
     * @param labels      its labels
     * @param familyTypes the type of a metric family by its name (the series name less {@code _total}, {@code _count},
     *                    {@code _sum}, {@code _bucket} where the family has them), or null where unknown
     */
    public static Kind of(String name, Map<String, String> labels, Function<String, PromType> familyTypes) {
        PromType own = familyTypes.apply(name);
        if (own != null && own != PromType.UNKNOWN) {
            return own == PromType.COUNTER ? Kind.RATE : Kind.GAUGE;
        }
        for (String suffix : FAMILY_SUFFIXES) {
            if (name.endsWith(suffix)) {
                PromType family = familyTypes.apply(name.substring(0, name.length() - suffix.length()));
                if (family == PromType.HISTOGRAM || family == PromType.SUMMARY) {
                    return suffix.equals("_bucket") ? Kind.DROP : Kind.RATE;
                }
                if (family == PromType.GAUGE_HISTOGRAM) {
                    return suffix.equals("_bucket") ? Kind.DROP : Kind.GAUGE;
                }
            }
        }
        if (name.endsWith("_total")) {
            PromType family = familyTypes.apply(name.substring(0, name.length() - "_total".length()));
            return family == null || family == PromType.COUNTER || family == PromType.UNKNOWN ? Kind.RATE : Kind.GAUGE;
        }
        if (name.endsWith("_bucket") && labels.containsKey("le")) {
            return Kind.DROP;
        }
        return Kind.GAUGE;
    }
}
