package dev.vigil.streams;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vigil.detection.ReasonText;
import dev.vigil.prediction.ExhaustionForecaster;
import dev.vigil.prediction.PredictedAlert;
import dev.vigil.prediction.SeriesPrediction;
import dev.vigil.runtime.config.Durations;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.SeriesState;

/**
 * What the query API says about a bounded series' future: its time to exhaustion (on every series view) and its
 * long-horizon forecast ({@code GET /v1/hosts/{host}/forecast}), with the request's fields checked one by one.
 */
final class PredictionViews {

    /** Furthest a forecast may reach, and most points it may have. */
    static final Duration MAX_HORIZON = Duration.ofDays(30);
    static final int MAX_POINTS = 1000;
    static final Duration MIN_STEP = Duration.ofMinutes(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request field that is wrong: answered 400 naming it. */
    record BadField(String field, String message) {
    }

    private PredictionViews() {
    }

    /**
     * The series' time to exhaustion and its PREDICTED alert, or null for a series without a ceiling. {@code at},
     * {@code earliest} and {@code latest} are epoch ms, null when not in sight; {@code in} says it in words.
     */
    static ObjectNode exhaustion(HostState host, SeriesState series) {
        SeriesPrediction prediction = series.prediction();
        if (prediction == null) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        double ceiling = ExhaustionWatch.ceiling(host, series.key(), prediction.metric());
        ExhaustionForecaster.Estimate estimate = ceiling > 0 ? prediction.forecaster().estimate(ceiling) : null;
        node.put("ceiling", ceiling > 0 ? ceiling : null);
        if (estimate != null) {
            node.put("time", estimate.time()).put("level", estimate.level()).put("slopePerHour", estimate.slopePerHour())
                    .put("rising", estimate.rising()).put("dailyCycleKnown", estimate.cycleKnown());
            putTime(node, "at", estimate.at());
            putTime(node, "earliest", estimate.earliest());
            putTime(node, "latest", estimate.latest());
            node.put("in", estimate.inSight() && estimate.rising()
                    ? ReasonText.exhaustion(prediction.metric().full(), estimate.time(), estimate.at(), estimate.earliest(), estimate.latest())
                    : "not expected: the series is not clearly rising");
        }
        PredictedAlert alert = prediction.alert();
        if (alert.isOpen()) {
            ObjectNode predicted = node.putObject("predicted").put("startedAt", alert.openedAt());
            putTime(predicted, "at", alert.at());
            putTime(predicted, "earliest", alert.earliest());
            putTime(predicted, "latest", alert.latest());
        }
        return node;
    }

    /**
     * The long trend plus the daily cycle from the series' newest minute to {@code horizon} ahead (default 7d, at most
     * {@link #MAX_HORIZON}) every {@code step} (default 1h, at least {@link #MIN_STEP}, at most {@link #MAX_POINTS}
     * points), with its band.
     *
     * @return the forecast, or the first bad field
     */
    static Object forecast(SeriesState series, Map<String, String> query) {
        Object horizon = duration(query, "horizon", Duration.ofDays(7));
        if (horizon instanceof BadField bad) {
            return bad;
        }
        Object step = duration(query, "step", Duration.ofHours(1));
        if (step instanceof BadField bad) {
            return bad;
        }
        Duration ahead = (Duration) horizon;
        Duration every = (Duration) step;
        if (ahead.compareTo(MAX_HORIZON) > 0) {
            return new BadField("horizon", "at most " + Durations.format(MAX_HORIZON) + ", got " + query.get("horizon"));
        }
        if (every.compareTo(MIN_STEP) < 0 || every.compareTo(ahead) > 0) {
            return new BadField("step", "from " + Durations.format(MIN_STEP) + " to the horizon (" + Durations.format(ahead) + "), got "
                    + query.get("step"));
        }
        if (ahead.toMillis() / every.toMillis() > MAX_POINTS) {
            return new BadField("step", "gives " + ahead.toMillis() / every.toMillis() + " points; at most " + MAX_POINTS);
        }
        SeriesPrediction prediction = series.prediction();
        ObjectNode node = JSON.createObjectNode().put("seriesId", series.seriesId()).put("metric", series.key().metric());
        node.set("labels", JSON.valueToTree(series.key().labels()));
        ExhaustionForecaster forecaster = prediction.forecaster();
        long from = series.lastTimestamp();
        ArrayNode points = node.putArray("points");
        for (long time = from + every.toMillis(); time <= from + ahead.toMillis(); time += every.toMillis()) {
            ExhaustionForecaster.Band band = forecaster.forecast(time);
            if (band == null) {
                break;
            }
            points.addObject().put("time", time).put("expected", band.expected()).put("lower", band.lower()).put("upper", band.upper());
            node.put("slopePerHour", band.slopePerHour());
        }
        return node;
    }

    private static Object duration(Map<String, String> query, String field, Duration otherwise) {
        String text = query.get(field);
        if (text == null) {
            return otherwise;
        }
        try {
            Duration duration = Durations.parse(text);
            return duration.isNegative() || duration.isZero() ? new BadField(field, "must be positive, got " + text) : duration;
        } catch (IllegalArgumentException e) {
            return new BadField(field, e.getMessage());
        }
    }

    private static void putTime(ObjectNode node, String field, long time) {
        if (time == Long.MAX_VALUE) {
            node.putNull(field);
        } else {
            node.put(field, time);
        }
    }
}
