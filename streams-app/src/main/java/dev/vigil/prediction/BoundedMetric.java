package dev.vigil.prediction;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A metric whose series cannot go beyond a known ceiling, and what to call it in a warning.
 *
 * @param metric      the metric's name
 * @param ceiling     the fixed ceiling (1 for a utilization); NaN when {@code limitMetric} gives it
 * @param limitMetric the metric whose series with the same labels on the same host holds the ceiling (a count against
 *                    its limit), or empty
 * @param subjectLabel the label whose value names what runs out ({@code mountpoint}: "/"), or empty
 * @param subject     what runs out when {@code subjectLabel} is absent ("memory")
 * @param full        what it is when the ceiling is reached ("full", "at its limit")
 */
public record BoundedMetric(String metric, double ceiling, Optional<String> limitMetric, Optional<String> subjectLabel, String subject,
                            String full) {

    public BoundedMetric {
        Objects.requireNonNull(metric, "metric can't be null");
        Objects.requireNonNull(limitMetric, "limitMetric can't be null");
        Objects.requireNonNull(subjectLabel, "subjectLabel can't be null");
        if (limitMetric.isEmpty() == Double.isNaN(ceiling)) {
            throw new IllegalArgumentException(metric + ": give either a fixed ceiling or a limit metric");
        }
    }

    /** A metric bounded by a fixed value. */
    static BoundedMetric fixed(String metric, double ceiling, String subject, String full) {
        return new BoundedMetric(metric, ceiling, Optional.empty(), Optional.empty(), subject, full);
    }

    /** A metric bounded by the value of another series of the host. */
    static BoundedMetric limitedBy(String metric, String limitMetric, String subject, String full) {
        return new BoundedMetric(metric, Double.NaN, Optional.of(limitMetric), Optional.empty(), subject, full);
    }

    /** This metric, with what runs out named by a label's value. */
    BoundedMetric namedBy(String label) {
        return new BoundedMetric(metric, ceiling, limitMetric, Optional.of(label), subject, full);
    }

    /** What runs out, for a series with these labels: the subject label's value, or the subject. */
    public String subject(Map<String, String> labels) {
        return subjectLabel.map(labels::get).filter(value -> !value.isBlank()).orElse(subject);
    }
}
