package dev.vigil.detection;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * An {@link AnomalyScore}'s reason in plain words, for the person who gets paged: which test fired and the
 * numbers behind it, e.g. "stuck at 0.364 for 14 samples (longest run before: 3)"; and a predicted exhaustion, e.g.
 * "/ on host-12 full in about 3 h (2 h 20 m to 4 h)". Alert summaries, the streams query API and the dev view all
 * say it through this one class.
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

    /**
     * When a bounded series is expected to reach its ceiling, as seen at {@code now} (epoch ms): "full in about 3 h (2 h 20 m
     * to 4 h)", "full now" once there; {@code latest} {@link Long#MAX_VALUE} for an interval without an end.
     *
     * @param full what the series is at its ceiling ("full", "at their limit")
     */
    public static String exhaustion(String full, long now, long at, long earliest, long latest) {
        if (at <= now) {
            return full + " now";
        }
        return "%s in about %s (%s to %s)".formatted(full, span(at - now), span(Math.max(0, earliest - now)),
                latest == Long.MAX_VALUE ? "no end in sight" : span(latest - now));
    }

    /** The one line a PREDICTED alert's summary is: "/ on host-12 full in about 3 h (2 h 20 m to 4 h)". */
    public static String exhaustionSummary(String subject, String hostId, String exhaustion) {
        return subject + " on " + hostId + " " + exhaustion;
    }

    /** A PREDICTED alert's summary once resolved: "/ on host-12 is no longer expected to be full within 6 h". */
    public static String exhaustionResolved(String subject, String hostId, String full, long horizonMillis) {
        return "%s on %s is no longer expected to be %s within %s".formatted(subject, hostId, full, span(horizonMillis));
    }

    /**
     * How the trend behind a prediction reads: "rising 0.12 an hour, at 0.86 of 1".
     */
    public static String trend(double perHour, double level, double ceiling) {
        return "rising %s an hour, at %s of %s".formatted(number(perHour), number(level), number(ceiling));
    }

    /** A stretch of time as people say it: "50 min", "2 h 20 m", "3 h", "2 d 5 h"; rounded coarser the longer it is. */
    public static String span(long millis) {
        long minutes = Math.round(millis / 60_000.0);
        if (minutes < 1) {
            return "under a minute";
        }
        if (minutes < 60) {
            return (minutes >= 10 ? Math.round(minutes / 5.0) * 5 : minutes) + " min";
        }
        if (minutes < 24 * 60) {
            long rounded = Math.round(minutes / 10.0) * 10;
            return rounded % 60 == 0 ? rounded / 60 + " h" : "%d h %d m".formatted(rounded / 60, rounded % 60);
        }
        long hours = Math.round(minutes / 60.0);
        return hours % 24 == 0 ? hours / 24 + " d" : "%d d %d h".formatted(hours / 24, hours % 24);
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
