package dev.vigil.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.avro.AnomalyKind;

/**
 * Matches a fleet run's alert openings to the anomalies the simulator injected, and finds the openings that
 * no anomaly explains.
 *
 * <ul>
 *   <li>An anomaly's <b>span</b> runs from its first sample to its last plus a tail of as long again, at least
 *       {@link #MIN_TAIL} (a value coming back is news to a detector too), both ends included, and stops where
 *       the next anomaly of the same series starts, so that one opening belongs to one anomaly at most.</li>
 *   <li>An anomaly is <b>opened</b> by the first opening of its own series' alert within its span, whether the
 *       alert was announced (an OPENED of its own) or absorbed (it is then in the evidence of the host alert
 *       that is open, or opens in the same batch with it, and the host alert speaks for it); the time to open
 *       is from the anomaly's first sample to that opening. An opening of another series, or a host alert
 *       without this series in its evidence, does not open it. If the series' alert was already open when the
 *       anomaly started it cannot open again: the anomaly counts as opened at once, and is counted apart.</li>
 *   <li>An anomaly is judged only if the run goes on {@link #OPEN_WITHIN} after its start.</li>
 *   <li>A <b>false opening</b> is one after the warm-up that reaches the alerts topic and is in no span: a series
 *       alert announced outside every span of its series, or a host alert none of whose evidence series is
 *       inside a span of its own.</li>
 * </ul>
 */
final class FleetAnomalyMatching {

    /** The time an anomaly should be opened in. */
    static final Duration OPEN_WITHIN = Duration.ofMinutes(5);
    /** The shortest tail of an anomaly's span. */
    static final Duration MIN_TAIL = Duration.ofMinutes(30);
    /** Time to open of an anomaly that no opening matched. */
    static final long NEVER = Long.MAX_VALUE;

    /**
     * One judged anomaly and its opening.
     *
     * @param timeToOpen  milliseconds from its first sample to its opening, or {@link #NEVER}
     * @param alreadyOpen its series' alert was open when it started (time to open 0)
     */
    record Match(FleetRun.Anomaly anomaly, long timeToOpen, boolean alreadyOpen) {

        boolean opened() {
            return timeToOpen != NEVER;
        }

        boolean openedWithin(Duration limit) {
            return timeToOpen <= limit.toMillis();
        }
    }

    /**
     * Matches of some anomalies, summed up.
     *
     * @param anomalies        judged anomalies
     * @param openedWithin     opened within {@link #OPEN_WITHIN} (already open ones included)
     * @param alreadyOpen      of which their series' alert was already open
     * @param openedLater      opened within the span, later than {@link #OPEN_WITHIN}
     * @param never            not opened within the span
     * @param medianTimeToOpen the middle time to open, in milliseconds (the lower middle of an even count),
     *                         counting an anomaly never opened as later than any: {@link #NEVER} when half or
     *                         more were never opened, or none was judged
     */
    record Summary(int anomalies, int openedWithin, int alreadyOpen, int openedLater, int never, long medianTimeToOpen) {

        /** Share opened within {@link #OPEN_WITHIN}; NaN without anomalies. */
        double shareOpenedWithin() {
            return anomalies == 0 ? Double.NaN : (double) openedWithin / anomalies;
        }

        static Summary of(Collection<Match> matches) {
            long[] times = matches.stream().mapToLong(Match::timeToOpen).sorted().toArray();
            int within = (int) matches.stream().filter(match -> match.openedWithin(OPEN_WITHIN)).count();
            int already = (int) matches.stream().filter(Match::alreadyOpen).count();
            int never = (int) matches.stream().filter(match -> !match.opened()).count();
            long median = times.length == 0 ? NEVER : times[(times.length - 1) / 2];
            return new Summary(times.length, within, already, times.length - within - never, never, median);
        }
    }

    /**
     * The matching of one run.
     *
     * @param matches             every judged anomaly, in the run's order
     * @param unjudged            anomalies that started too near the end of the run to be judged
     * @param falseSeriesOpenings series alerts announced after the warm-up outside every span of their series
     * @param falseHostOpenings   host alerts opened after the warm-up with no evidence series inside a span
     */
    record Result(List<Match> matches, int unjudged, List<FleetRun.SeriesOpening> falseSeriesOpenings,
                  List<FleetRun.HostOpening> falseHostOpenings) {

        Summary overall() {
            return Summary.of(matches);
        }

        /** Per kind, in the kinds' order; a kind that was never injected is absent. */
        Map<AnomalyKind, Summary> byKind() {
            Map<AnomalyKind, List<Match>> byKind = new EnumMap<>(AnomalyKind.class);
            matches.forEach(match -> byKind.computeIfAbsent(match.anomaly().kind(), kind -> new ArrayList<>()).add(match));
            Map<AnomalyKind, Summary> summaries = new EnumMap<>(AnomalyKind.class);
            byKind.forEach((kind, kindMatches) -> summaries.put(kind, Summary.of(kindMatches)));
            return summaries;
        }

        int falseOpenings() {
            return falseSeriesOpenings.size() + falseHostOpenings.size();
        }
    }

    /** The anomalies of one series, in order, each with the end of its span. */
    private static final class SeriesSpans {

        private final List<FleetRun.Anomaly> anomalies = new ArrayList<>();
        private long[] spanEnds;

        void close() {
            anomalies.sort(Comparator.comparingLong(FleetRun.Anomaly::start));
            spanEnds = new long[anomalies.size()];
            for (int i = 0; i < anomalies.size(); i++) {
                FleetRun.Anomaly anomaly = anomalies.get(i);
                spanEnds[i] = anomaly.end() + Math.max(anomaly.end() - anomaly.start(), MIN_TAIL.toMillis());
            }
        }

        /** The index of the anomaly whose span holds {@code time}, or -1; a span ends where the next anomaly starts. */
        int spanAt(long time) {
            for (int i = anomalies.size() - 1; i >= 0; i--) {
                if (anomalies.get(i).start() <= time) {
                    return time <= spanEnds[i] ? i : -1;
                }
            }
            return -1;
        }
    }

    private FleetAnomalyMatching() {
    }

    static Result match(FleetRun run) {
        FleetTimeline timeline = run.timeline();
        Map<Integer, SeriesSpans> spans = new HashMap<>();
        for (FleetRun.Anomaly anomaly : run.anomalies()) {
            spans.computeIfAbsent(key(run, anomaly.host(), anomaly.series()), key -> new SeriesSpans()).anomalies.add(anomaly);
        }
        spans.values().forEach(SeriesSpans::close);

        Map<FleetRun.Anomaly, Long> opened = new HashMap<>();
        List<FleetRun.SeriesOpening> falseSeries = new ArrayList<>();
        for (FleetRun.SeriesOpening opening : run.seriesOpenings()) {
            SeriesSpans series = spans.get(key(run, opening.host(), opening.series()));
            int span = series == null ? -1 : series.spanAt(opening.time());
            if (span >= 0) {
                FleetRun.Anomaly anomaly = series.anomalies.get(span);
                opened.merge(anomaly, opening.time() - anomaly.start(), Math::min);
            } else if (opening.announced() && !timeline.inWarmUp(opening.time())) {
                falseSeries.add(opening);
            }
        }
        List<FleetRun.HostOpening> falseHost = new ArrayList<>();
        for (FleetRun.HostOpening opening : run.hostOpenings()) {
            boolean explained = opening.evidence().stream().anyMatch(series -> {
                SeriesSpans seriesSpans = spans.get(key(run, opening.host(), series));
                return seriesSpans != null && seriesSpans.spanAt(opening.time()) >= 0;
            });
            if (!explained && !timeline.inWarmUp(opening.time())) {
                falseHost.add(opening);
            }
        }

        long lastSample = timeline.end() - timeline.interval();
        List<Match> matches = new ArrayList<>();
        int unjudged = 0;
        for (FleetRun.Anomaly anomaly : run.anomalies()) {
            if (anomaly.start() + OPEN_WITHIN.toMillis() > lastSample) {
                unjudged++;
            } else if (anomaly.alertOpenAtStart()) {
                matches.add(new Match(anomaly, 0, true));
            } else {
                matches.add(new Match(anomaly, opened.getOrDefault(anomaly, NEVER), false));
            }
        }
        return new Result(matches, unjudged, falseSeries, falseHost);
    }

    private static int key(FleetRun run, int host, int series) {
        return host * run.seriesPerHost() + series;
    }
}
