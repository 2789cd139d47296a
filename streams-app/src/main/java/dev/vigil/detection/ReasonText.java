package dev.vigil.detection;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * An {@link AnomalyScore}'s reason in plain words, for the person who gets paged: which test fired and the
 * numbers behind it, e.g. "stuck at 0.364 for 14 samples (longest run before: 3)". Alert summaries, the
 * streams query API and the dev view all say it through this one class.
 */
public final class ReasonText {

    private ReasonText() {
    }

    /**
     * Why {@code value}, read at {@code timestampMillis}, scored as it did; empty for {@link AnomalyReason#NONE}.
     */
    public static String describe(AnomalyScore score, double value, long timestampMillis) {
        String days = days(score.basis());
        return switch (score.reason()) {
            case NONE -> "";
            case OUT_OF_RANGE -> "%s is %s everything seen in %s (%s to %s)".formatted(number(value),
                    value > score.usualHigh() ? "above" : "below", days, number(score.usualLow()), number(score.usualHigh()));
            case STUCK -> "stuck at %s for %d samples (longest run before: %d)".formatted(number(value),
                    Math.round(score.observed()), Math.round(score.usualHigh()));
            case UNUSUAL_FOR_TIME_OF_DAY -> "%s has not been seen around %02d:00 UTC in %s (usual %s to %s)".formatted(
                    number(value), Instant.ofEpochMilli(timestampMillis).atZone(ZoneOffset.UTC).getHour(), days,
                    number(score.usualLow()), number(score.usualHigh()));
            case UNUSUAL_JUMP -> "went from %s to %s; from there it has only gone to %s to %s in %s".formatted(
                    number(score.observed()), number(value), number(score.usualLow()), number(score.usualHigh()), days);
            case FORECAST_DEVIATION -> "%s is %.1f typical errors from the forecast %s (largest lately: %.1f)".formatted(
                    number(value), score.observed(), number(score.expected()), score.usualHigh());
            case SUSTAINED_DEVIATION -> "has stayed %.1f typical errors %s its forecast (largest lately: %.1f)".formatted(
                    Math.abs(score.observed()), score.observed() > 0 ? "above" : "below", score.usualHigh());
            case LEVEL_SHIFT -> "its recent mean moved %.1f standard deviations from the long-term mean (largest lately: %.1f)"
                    .formatted(score.observed(), score.usualHigh());
            case VOLATILITY_CHANGE -> "its recent variability is %.2fx the long-term one (usual %.2fx to %.2fx)".formatted(
                    score.observed(), score.usualLow(), score.usualHigh());
        };
    }

    /** A number short enough for a pager: three decimals, or three significant digits when very large or small. */
    public static String number(double value) {
        return Math.abs(value) >= 1e5 || (value != 0 && Math.abs(value) < 1e-3) ? "%.3g".formatted(value)
                : "%.3f".formatted(value).replaceAll("\\.?0+$", "");
    }

    private static String days(double days) {
        if (days >= 2) {
            return "%d days".formatted((long) days);
        }
        long hours = Math.round(days * 24);
        return hours == 1 ? "1 hour" : hours + " hours";
    }
}
