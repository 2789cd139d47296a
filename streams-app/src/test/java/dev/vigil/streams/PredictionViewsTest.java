package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.SeriesKey;
import dev.vigil.streams.state.SeriesState;

class PredictionViewsTest {

    private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();

    /** A root filesystem growing 0.01 a day for three weeks. */
    private static SeriesState root(HostState host) {
        SeriesState root = host.addSeries(SeriesKey.of("system.filesystem.utilization", Map.of("mountpoint", "/")), "root",
                index -> new AnomalyDetector(DetectorSettings.DEFAULT));
        long time = T0;
        for (int m = 0; m < 21 * 24 * 60; m++) {
            time = T0 + m * 60_000L + 30_000;
            root.prediction().forecaster().addMinute(time, 0.4 + 0.01 * m / 1440.0);
        }
        root.recordScored(time, 0.61, new AnomalyScore(0.61, 0.6, 0.62, 0, false));
        return root;
    }

    @Test
    void shouldForecastEveryStepToTheHorizonAlongTheLongTrend() {
        SeriesState root = root(HostState.empty());

        ObjectNode forecast = (ObjectNode) PredictionViews.forecast(root, Map.of("horizon", "2d", "step", "12h"));

        assertThat(forecast.get("points")).hasSize(4);
        assertThat(forecast.get("points").get(3).get("time").asLong()).isEqualTo(root.lastTimestamp() + 2 * 86_400_000L);
        assertThat(forecast.get("points").get(3).get("expected").asDouble()).isBetween(0.625, 0.635);
        assertThat(forecast.get("slopePerHour").asDouble() * 24).isBetween(0.009, 0.011);
    }

    @Test
    void shouldNameTheFieldThatIsWrong() {
        SeriesState root = root(HostState.empty());

        assertThat(PredictionViews.forecast(root, Map.of("horizon", "a week"))).isEqualTo(new PredictionViews.BadField("horizon",
                "'a week' is not a duration; write e.g. 500ms, 30s, 5m, 2h or PT30S"));
        assertThat(PredictionViews.forecast(root, Map.of("horizon", "90d"))).isEqualTo(new PredictionViews.BadField("horizon",
                "at most 30d, got 90d"));
        assertThat(PredictionViews.forecast(root, Map.of("step", "0s"))).isEqualTo(new PredictionViews.BadField("step",
                "must be positive, got 0s"));
        assertThat(PredictionViews.forecast(root, Map.of("horizon", "1h", "step", "2h"))).isEqualTo(new PredictionViews.BadField("step",
                "from 1m to the horizon (1h), got 2h"));
        assertThat(PredictionViews.forecast(root, Map.of("horizon", "30d", "step", "1m"))).isEqualTo(new PredictionViews.BadField("step",
                "gives 43200 points; at most 1000"));
    }

    @Test
    void shouldTellTheTimeToExhaustionOfABoundedSeriesOnly() {
        HostState host = HostState.empty();
        SeriesState root = root(host);
        SeriesState load = host.addSeries(SeriesKey.of("load", Map.of()), "load", index -> new AnomalyDetector(DetectorSettings.DEFAULT));

        ObjectNode exhaustion = PredictionViews.exhaustion(host, root);

        assertThat(PredictionViews.exhaustion(host, load)).isNull();
        assertThat(exhaustion.get("ceiling").asDouble()).isEqualTo(1);
        assertThat(exhaustion.get("rising").asBoolean()).isTrue();
        // 0.61 growing 0.01 a day: 39 days
        assertThat((exhaustion.get("at").asLong() - exhaustion.get("time").asLong()) / 86_400_000.0).isBetween(37.0, 41.0);
        assertThat(exhaustion.get("in").asText()).matches("full in about \\d+ d( \\d+ h)? \\(.+ to .+\\)");
        assertThat(exhaustion.has("predicted")).as("no alert: beyond the horizon").isFalse();
    }
}
