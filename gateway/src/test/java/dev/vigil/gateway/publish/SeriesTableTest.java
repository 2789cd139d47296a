package dev.vigil.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.Series;

class SeriesTableTest {

    private static final long SECOND = 1_000_000_000L;

    private final SeriesTable table = new SeriesTable(1_000, 1_000, Duration.ofMinutes(1));

    @Test
    void shouldAdmitUpToTheBoundPerHostAndKnowWhatItAdmitted() {
        SeriesTable bounded = new SeriesTable(2, 1_000, Duration.ofMinutes(10));
        assertThat(bounded.find(series("web-1", "a"))).as("unknown yet").isNull();
        assertThat(bounded.admit(series("web-1", "a"))).isNotNull();
        assertThat(bounded.admit(series("web-1", "b"))).isNotNull();
        assertThat(bounded.admit(series("web-1", "c"))).as("a third series of a host bound to two").isNull();
        assertThat(bounded.admit(series("web-2", "c"))).as("another host has its own bound").isNotNull();
        assertThat(bounded.find(series("web-1", "a"))).isNotNull();
        assertThat(bounded.find(series("web-1", "c"))).as("refused, so not known").isNull();
        assertThat(bounded.admit(series("web-1", "a"))).as("a known series again").isSameAs(bounded.find(series("web-1", "a")));
        assertThat(bounded.size()).isEqualTo(3);
    }

    @Test
    void shouldFreeThePlacesOfIdleSeries() {
        SeriesTable bounded = new SeriesTable(1, 1_000, SeriesTable.SWEEP_EVERY.multipliedBy(2));
        bounded.admit(series("web-1", "a"));
        bounded.admit(series("web-2", "x"));
        for (int sweep = 0; sweep < 3; sweep++) {
            bounded.find(series("web-2", "x"));
            bounded.expireIdle();
        }
        assertThat(bounded.find(series("web-1", "a"))).as("not seen for three sweeps").isNull();
        assertThat(bounded.find(series("web-2", "x"))).as("seen every sweep").isNotNull();
        assertThat(bounded.admit(series("web-1", "b"))).as("its place is free again").isNotNull();
        assertThat(bounded.size()).isEqualTo(2);
    }

    @Test
    void shouldNeverAdmitMoreThanTheBoundWhenThreadsRace() throws Exception {
        SeriesTable bounded = new SeriesTable(50, 1_000, Duration.ofSeconds(1));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> admitted = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                admitted.add(threads.submit(() -> {
                    int count = 0;
                    for (int i = 0; i < 100; i++) {
                        if (bounded.admit(series("web-1", thread + "-" + i)) != null) {
                            count++;
                        }
                    }
                    return count;
                }));
            }
            int total = 0;
            for (Future<Integer> each : admitted) {
                total += each.get();
            }
            assertThat(total).isEqualTo(50);
            assertThat(bounded.size()).isEqualTo(50);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldGiveNoRateForTheFirstPointThenTheRateSinceThePrevious() {
        assertThat(rate(cumulative(100, 10 * SECOND, SECOND))).isEmpty();

        assertThat(rate(cumulative(400, 20 * SECOND, SECOND))).hasValueCloseTo(30.0, within(1e-9));
    }

    @Test
    void shouldGiveNoRateWhenTheClientRestartedWithANewStartTime() {
        rate(cumulative(1_000, 10 * SECOND, SECOND));

        assertThat(rate(cumulative(5_000, 20 * SECOND, 12 * SECOND))).as("new start, higher value").isEmpty();
        assertThat(rate(cumulative(5_100, 30 * SECOND, 12 * SECOND))).hasValueCloseTo(10.0, within(1e-9));
    }

    @Test
    void shouldGiveNoRateWhenTheValueWentDown() {
        rate(cumulative(1_000, 10 * SECOND, 0));

        assertThat(rate(cumulative(3, 20 * SECOND, 0))).isEmpty();
    }

    @Test
    void shouldTurnADeltaIntoItsRateOverItsOwnInterval() {
        Point delta = new Point("web-01", "jobs.done", Map.of(), "", 40 * SECOND, 30 * SECOND, 50, PointKind.DELTA);

        assertThat(rate(delta)).hasValueCloseTo(5.0, within(1e-9));
        assertThat(rate(new Point("web-01", "jobs.done", Map.of(), "", 40 * SECOND, 0, 50, PointKind.DELTA))).isEmpty();
    }

    @Test
    void shouldForgetTheLastPointOfSeriesIdleLongerThanTheStaleness() {
        rate(cumulative(100, 10 * SECOND, SECOND));
        assertThat(table.rateSeries()).isOne();
        for (int i = 0; i < 3; i++) {
            table.expireIdle(); // 3 sweeps of 30 s > 1 min
        }

        assertThat(table.rateSeries()).isZero();
        assertThat(table.size()).isZero();
        assertThat(rate(cumulative(400, 200 * SECOND, SECOND))).as("starts over").isEmpty();
    }

    @Test
    void shouldKeepSeriesOfDifferentLabelsApart() {
        rate(cumulative(100, 10 * SECOND, SECOND));
        Point other = new Point("web-01", "http.requests", Map.of("route", "/b"), "{request}", 20 * SECOND, SECOND, 1_000, PointKind.CUMULATIVE);

        assertThat(rate(other)).isEmpty();
    }

    @Test
    void shouldRememberTheLastPointOfAtMostMaxRateSeries() {
        SeriesTable small = new SeriesTable(1_000, 1, Duration.ofMinutes(1));
        Point first = cumulative(100, 10 * SECOND, SECOND);
        Point other = new Point("web-01", "http.requests", Map.of("route", "/b"), "{request}", 10 * SECOND, SECOND, 100, PointKind.CUMULATIVE);
        small.rate(small.admit(first.series()), first);
        small.rate(small.admit(other.series()), other);

        Point later = new Point("web-01", "http.requests", Map.of("route", "/b"), "{request}", 20 * SECOND, SECOND, 200, PointKind.CUMULATIVE);
        assertThat(small.rate(small.find(later.series()), later)).as("beyond the bound: no last point kept").isEmpty();
        assertThat(small.rate(small.find(first.series()), cumulative(300, 20 * SECOND, SECOND))).hasValueCloseTo(20.0, within(1e-9));
        assertThat(small.rateSeries()).isOne();
    }

    private OptionalDouble rate(Point point) {
        SeriesTable.Entry entry = table.find(point.series());
        if (entry == null) {
            entry = table.admit(point.series());
        }
        return table.rate(entry, point);
    }

    private static Point cumulative(double value, long time, long start) {
        return new Point("web-01", "http.requests", Map.of("route", "/a"), "{request}", time, start, value, PointKind.CUMULATIVE);
    }

    @Test
    void shouldFindASeriesThroughItsOwnPlaceOnlyWhileItsEntryIsThisTablesAndKept() {
        SeriesTable table = new SeriesTable(10, 1_000, SeriesTable.SWEEP_EVERY);
        Series kept = series("web-1", "a");
        SeriesTable.Entry entry = table.admit(kept);
        assertThat(kept.place()).isSameAs(entry);
        assertThat(table.find(kept)).isSameAs(entry).isSameAs(table.find(series("web-1", "a")));

        SeriesTable other = new SeriesTable(10, 1_000, SeriesTable.SWEEP_EVERY);
        assertThat(other.find(kept)).as("another table's entry is not this table's").isNull();
        assertThat(other.admit(kept)).isNotSameAs(entry);

        table.expireIdle();
        table.expireIdle();
        assertThat(table.find(kept)).as("forgotten: its place no longer counts").isNull();
        assertThat(table.admit(kept)).as("admitted anew").isNotNull().isNotSameAs(entry);
    }

    private static Series series(String host, String name) {
        return new Series(host, name, Map.of());
    }
}
