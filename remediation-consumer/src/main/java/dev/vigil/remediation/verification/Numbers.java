package dev.vigil.remediation.verification;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** How verification details write what they saw: values, bands and times, short and exact enough to act on. */
final class Numbers {

    private Numbers() {
    }

    /** Four significant digits, no exponent for everyday magnitudes: {@code 0.1234}, {@code 97.5}, {@code 12350}. */
    static String value(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }

    /** {@code VALUE (band LOW to HIGH)}. */
    static String inBand(double value, double lower, double upper) {
        return value(value) + " (band " + value(lower) + " to " + value(upper) + ")";
    }

    /** Seconds, to a tenth: {@code 12.3 s}. */
    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** {@code metric{k=v, ...}}, labels sorted; the bare metric when it has none. */
    static String series(String metric, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return metric;
        }
        StringBuilder out = new StringBuilder(metric).append('{');
        new TreeMap<>(labels).forEach((k, v) -> out.append(out.charAt(out.length() - 1) == '{' ? "" : ", ").append(k).append('=').append(v));
        return out.append('}').toString();
    }
}
