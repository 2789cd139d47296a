package dev.vigil.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A series as a small inline SVG, server-rendered: a polyline scaled to the box, the alert's start marked with a vertical
 * line. No script and no inline style (the page's CSP forbids both; the stylesheet colours it through its classes).
 */
public final class Sparkline {

    /** One sample: epoch milliseconds and value. */
    public record Point(long time, double value) {
    }

    public static final int WIDTH = 160;
    public static final int HEIGHT = 32;
    /** More points than pixels add nothing but bytes: the series is thinned to this many. */
    static final int MAX_POINTS = WIDTH;

    private Sparkline() {
    }

    /** The SVG of {@code points} (in time order) with the alert's start {@code markAt}, if within the range. */
    public static Html svg(List<Point> points, Optional<Long> markAt, String label) {
        Html svg = new Html().open("svg", "class", "sparkline", "xmlns", "http://www.w3.org/2000/svg", "width", Integer.toString(WIDTH),
                "height", Integer.toString(HEIGHT), "viewBox", "0 0 " + WIDTH + " " + HEIGHT, "role", "img", "aria-label", label);
        List<Point> shown = thin(points.stream().filter(p -> Double.isFinite(p.value())).toList());
        if (shown.isEmpty()) {
            return svg.element("text", "no samples", "x", "4", "y", Integer.toString(HEIGHT / 2 + 4), "class", "sparkline-empty").close("svg");
        }
        long t0 = shown.get(0).time();
        long t1 = shown.get(shown.size() - 1).time();
        double min = shown.stream().mapToDouble(Point::value).min().orElseThrow();
        double max = shown.stream().mapToDouble(Point::value).max().orElseThrow();
        StringBuilder coordinates = new StringBuilder();
        for (Point point : shown) {
            if (coordinates.length() > 0) {
                coordinates.append(' ');
            }
            coordinates.append(number(x(point.time(), t0, t1))).append(',').append(number(y(point.value(), min, max)));
        }
        if (markAt.isPresent() && markAt.get() >= t0 && markAt.get() <= t1) {
            String x = number(x(markAt.get(), t0, t1));
            svg.empty("line", "class", "sparkline-mark", "x1", x, "x2", x, "y1", "0", "y2", Integer.toString(HEIGHT)).close("line");
        }
        svg.empty("polyline", "class", "sparkline-line", "fill", "none", "points", coordinates.toString()).close("polyline");
        return svg.close("svg");
    }

    /** Every k-th point, and always the last, so at most {@link #MAX_POINTS} remain. */
    static List<Point> thin(List<Point> points) {
        if (points.size() <= MAX_POINTS) {
            return points;
        }
        int step = (points.size() + MAX_POINTS - 1) / MAX_POINTS;
        List<Point> thinned = new ArrayList<>();
        for (int i = 0; i < points.size(); i += step) {
            thinned.add(points.get(i));
        }
        if (thinned.get(thinned.size() - 1) != points.get(points.size() - 1)) {
            thinned.set(thinned.size() - 1, points.get(points.size() - 1));
        }
        return thinned;
    }

    private static double x(long time, long t0, long t1) {
        return t1 == t0 ? WIDTH / 2.0 : (time - t0) * (double) WIDTH / (t1 - t0);
    }

    /** Higher values higher up, with a pixel of margin; a flat series in the middle. */
    private static double y(double value, double min, double max) {
        if (max == min) {
            return HEIGHT / 2.0;
        }
        return 1 + (max - value) * (HEIGHT - 2) / (max - min);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
