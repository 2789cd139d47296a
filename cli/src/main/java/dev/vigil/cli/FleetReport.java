package dev.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.vigil.avro.AnomalyKind;

/**
 * Prints the fleet evaluation: the healthy fleet's openings day by day, the anomalies' openings kind by
 * kind, and one line saying whether the targets hold.
 */
final class FleetReport {

    /** At most this many openings per host-day after the warm-up on a healthy fleet. */
    static final double HEALTHY_MAX_PER_HOST_DAY = 0.1;
    /** At least this share of injected anomalies opened within {@link FleetAnomalyMatching#OPEN_WITHIN}. */
    static final double MIN_SHARE_OPENED = 0.9;
    /** At most this median time to open. */
    static final Duration MAX_MEDIAN_TO_OPEN = Duration.ofMinutes(2);
    private static final String OPEN_WITHIN_TEXT = FleetAnomalyMatching.OPEN_WITHIN.toMinutes() + " min";

    private FleetReport() {
    }

    /** When the warm-up ends. */
    static void printWarmUp(PrintWriter out, FleetTimeline timeline) {
        int lastDay = timeline.dayOf(timeline.warmUpEnd());
        out.printf("Warm-up: until day %d %s (day 1 and the detector's own warm-up); openings are counted from then on%n", lastDay,
                clock(Duration.ofMillis(timeline.warmUpIn(lastDay))));
    }

    /** The head line of one fleet: its size and how fast it ran. */
    static void printRun(PrintWriter out, String title, FleetRun run, Duration took, int threads) {
        FleetTimeline timeline = run.timeline();
        out.printf("%s: %d hosts x %d series x %d days at %d s = %,d samples in %.1f s (%.2f M samples/s, %d threads)%n", title,
                timeline.hosts(), run.seriesPerHost(), timeline.days(), timeline.interval() / 1000, run.samples(), took.toMillis() / 1000.0,
                run.samples() / Math.max(1e-9, took.toNanos() / 1e9) / 1e6, threads);
    }

    /** The healthy fleet's openings, day by day, the warm-up apart; returns the openings per host-day after it. */
    static double printDays(PrintWriter out, FleetRun run) {
        List<FleetDailyOpenings.Day> days = FleetDailyOpenings.byDay(run);
        out.printf("  %4s  %-30s  %13s  %11s  %8s  %19s%n", "day", "period", "series OPENED", "host OPENED", "absorbed", "OPENED per host-day");
        for (FleetDailyOpenings.Day day : days) {
            if (!day.warmUp().isZero()) {
                String period = day.hostDays() == 0 ? "warm-up" : "warm-up to " + clock(day.warmUp());
                printCounts(out, Integer.toString(day.day()), period, day.inWarmUp(), "-");
            }
            if (day.hostDays() > 0) {
                printCounts(out, Integer.toString(day.day()), "counted", day.counted(), String.format("%.4f", day.perHostDay()));
            }
        }
        FleetDailyOpenings.Counts counted = FleetDailyOpenings.counted(days);
        double perHostDay = run.timeline().perHostDay(counted.openings());
        printCounts(out, "all", String.format("after warm-up, %.1f host-days", run.timeline().hostDaysCounted()), counted,
                String.format("%.4f", perHostDay));
        return perHostDay;
    }

    private static void printCounts(PrintWriter out, String day, String period, FleetDailyOpenings.Counts counts, String rate) {
        out.printf("  %4s  %-30s  %,13d  %,11d  %,8d  %19s%n", day, period, counts.seriesOpened(), counts.hostOpened(), counts.absorbed(), rate);
    }

    /** The anomalies, kind by kind, and the false openings; returns the summary of all kinds. */
    static FleetAnomalyMatching.Summary printAnomalies(PrintWriter out, FleetRun run, FleetAnomalyMatching.Result result) {
        out.printf("  %-15s  %9s  %15s  %6s  %14s  %12s  %12s  %6s%n", "kind", "anomalies", "opened <= " + OPEN_WITHIN_TEXT, "share",
                "median to open", "already open", "opened later", "never");
        for (Map.Entry<AnomalyKind, FleetAnomalyMatching.Summary> kind : result.byKind().entrySet()) {
            printSummary(out, kind.getKey().name(), kind.getValue());
        }
        FleetAnomalyMatching.Summary overall = result.overall();
        printSummary(out, "all", overall);
        if (result.unjudged() > 0) {
            out.printf("  %,d more anomalies started less than %s before the end and are not judged%n", result.unjudged(), OPEN_WITHIN_TEXT);
        }
        out.printf("  false openings (after warm-up, outside every anomaly's span): %,d series + %,d host = %,d, %.4f per host-day%n",
                result.falseSeriesOpenings().size(), result.falseHostOpenings().size(), result.falseOpenings(),
                run.timeline().perHostDay(result.falseOpenings()));
        return overall;
    }

    private static void printSummary(PrintWriter out, String kind, FleetAnomalyMatching.Summary summary) {
        out.printf("  %-15s  %,9d  %,15d  %5.1f%%  %14s  %,12d  %,12d  %,6d%n", kind, summary.anomalies(), summary.openedWithin(),
                100 * summary.shareOpenedWithin(), timeToOpen(summary.medianTimeToOpen()), summary.alreadyOpen(), summary.openedLater(),
                summary.never());
    }

    /**
     * The PREDICTED alerts that opened, on the bounded series; on a fleet with anomalies, which of them opened during a slow
     * leak of their own series, during another anomaly of it, or during none (false). Returns how many opened in all.
     */
    static int printPredicted(PrintWriter out, FleetRun run, int boundedPerHost) {
        List<FleetRun.PredictedOpening> openings = run.predictedOpenings();
        Map<AnomalyKind, Integer> during = new EnumMap<>(AnomalyKind.class);
        int falseOpenings = 0;
        for (FleetRun.PredictedOpening opening : openings) {
            AnomalyKind kind = run.anomalies().stream().filter(a -> a.host() == opening.host() && a.series() == opening.series()
                    && a.start() <= opening.time() && opening.time() <= a.end() + Duration.ofMinutes(30).toMillis())
                    .map(FleetRun.Anomaly::kind).findFirst().orElse(null);
            if (kind == null) {
                falseOpenings++;
            } else {
                during.merge(kind, 1, Integer::sum);
            }
        }
        double hostDays = run.timeline().hosts() * (double) run.timeline().days();
        out.printf("  PREDICTED alerts opened on %,d bounded series: %,d (%.4f per host-day)", run.timeline().hosts() * boundedPerHost,
                openings.size(), openings.size() / hostDays);
        if (!run.anomalies().isEmpty()) {
            out.printf("; during an anomaly of their series (to 30 min after it): %s; during none: %,d", during, falseOpenings);
        }
        out.println();
        return openings.size();
    }

    /** One line: the two targets, the figures and whether each holds. */
    static void printTargets(PrintWriter out, double healthyPerHostDay, FleetAnomalyMatching.Summary anomalies) {
        boolean quiet = healthyPerHostDay <= HEALTHY_MAX_PER_HOST_DAY;
        boolean fast = anomalies.shareOpenedWithin() >= MIN_SHARE_OPENED && anomalies.medianTimeToOpen() <= MAX_MEDIAN_TO_OPEN.toMillis();
        out.printf("targets: healthy fleet %.4f openings per host-day after warm-up (<= %s): %s; anomalies %.1f %% opened within %s, "
                        + "median %s (>= %.0f %%, median <= %d min): %s%n", healthyPerHostDay, HEALTHY_MAX_PER_HOST_DAY, quiet ? "MET" : "NOT MET",
                100 * anomalies.shareOpenedWithin(), OPEN_WITHIN_TEXT, timeToOpen(anomalies.medianTimeToOpen()), 100 * MIN_SHARE_OPENED,
                MAX_MEDIAN_TO_OPEN.toMinutes(), fast ? "MET" : "NOT MET");
    }

    /** {@code 40 s}, {@code 2 min 10 s}, {@code 3 h 5 min}, or {@code never}. */
    static String timeToOpen(long millis) {
        if (millis == FleetAnomalyMatching.NEVER) {
            return "never";
        }
        Duration time = Duration.ofMillis(millis);
        if (time.toMinutes() == 0) {
            return time.toSecondsPart() + " s";
        }
        return time.toHours() == 0 ? time.toMinutes() + " min " + time.toSecondsPart() + " s" : time.toHours() + " h " + time.toMinutesPart() + " min";
    }

    /** A time of day from a length since midnight: {@code 00:25}. */
    private static String clock(Duration sinceMidnight) {
        return String.format("%02d:%02d", sinceMidnight.toHours(), sinceMidnight.toMinutesPart());
    }
}
