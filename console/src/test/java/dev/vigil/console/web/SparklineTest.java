package dev.vigil.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SparklineTest {

    private static List<double[]> coordinates(String svg) {
        Matcher m = Pattern.compile("points=\"([^\"]*)\"").matcher(svg);
        assertThat(m.find()).isTrue();
        List<double[]> points = new ArrayList<>();
        for (String pair : m.group(1).split(" ")) {
            String[] xy = pair.split(",");
            points.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return points;
    }

    @Test
    void shouldScaleTheSeriesToTheBoxWithHighValuesAtTheTop() {
        String svg = Sparkline.svg(List.of(new Sparkline.Point(0, 1), new Sparkline.Point(1000, 3), new Sparkline.Point(2000, 2)),
                Optional.empty(), "cpu").toString();

        assertThat(svg).startsWith("<svg class=\"sparkline\"").contains("viewBox=\"0 0 160 32\"", "aria-label=\"cpu\"").endsWith("</svg>");
        List<double[]> points = coordinates(svg);
        assertThat(points).hasSize(3);
        assertThat(points.get(0)).containsExactly(0.0, 31.0);
        assertThat(points.get(1)).containsExactly(80.0, 1.0);
        assertThat(points.get(2)).containsExactly(160.0, 16.0);
    }

    @Test
    void shouldMarkTheAlertsStartWhenItFallsInTheRange() {
        List<Sparkline.Point> series = List.of(new Sparkline.Point(0, 1), new Sparkline.Point(4000, 2));

        assertThat(Sparkline.svg(series, Optional.of(1000L), "x").toString()).contains("<line class=\"sparkline-mark\" x1=\"40.0\" x2=\"40.0\"");
        assertThat(Sparkline.svg(series, Optional.of(9000L), "x").toString()).doesNotContain("sparkline-mark");
    }

    @Test
    void shouldDrawAFlatSeriesInTheMiddleAndSaySoWhenThereAreNoSamples() {
        assertThat(coordinates(Sparkline.svg(List.of(new Sparkline.Point(0, 5), new Sparkline.Point(10, 5)), Optional.empty(), "x").toString()))
                .allSatisfy(point -> assertThat(point[1]).isEqualTo(16.0));
        assertThat(Sparkline.svg(List.of(new Sparkline.Point(0, Double.NaN)), Optional.empty(), "x").toString())
                .contains("no samples").doesNotContain("polyline");
    }

    @Test
    void shouldThinALongSeriesToOnePointPerPixelKeepingTheLast() {
        List<Sparkline.Point> long_ = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long_.add(new Sparkline.Point(i, i));
        }

        List<Sparkline.Point> thinned = Sparkline.thin(long_);

        assertThat(thinned).hasSizeLessThanOrEqualTo(Sparkline.MAX_POINTS);
        assertThat(thinned.get(thinned.size() - 1)).isEqualTo(long_.get(999));
        assertThat(thinned.get(0)).isEqualTo(long_.get(0));
    }

    @Test
    void shouldEscapeTheLabel() {
        assertThat(Sparkline.svg(List.of(), Optional.empty(), "a\"><script>").toString()).contains("aria-label=\"a&quot;&gt;&lt;script&gt;\"");
    }
}
