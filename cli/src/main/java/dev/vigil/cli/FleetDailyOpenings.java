package dev.vigil.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fleet run's alert openings, day by day: how noisy the pipeline is. An opening is what reaches
 * {@code vigil.alerts} as OPENED: a series alert that was announced, or a host alert. A series alert that a
 * host alert absorbed sends nothing and is counted apart. Openings before the end of the warm-up
 * ({@link FleetTimeline}) are counted apart too, and the rate is per host-day after the warm-up.
 */
final class FleetDailyOpenings {

    /**
     * Openings of one kind of period.
     *
     * @param seriesOpened series alerts announced as OPENED of their own
     * @param hostOpened   host alerts opened
     * @param absorbed     series alerts that opened into a host alert's evidence, silently
     */
    record Counts(int seriesOpened, int hostOpened, int absorbed) {

        static final Counts NONE = new Counts(0, 0, 0);

        /** What reaches the alerts topic as OPENED. */
        int openings() {
            return seriesOpened + hostOpened;
        }

        Counts plus(Counts other) {
            return new Counts(seriesOpened + other.seriesOpened, hostOpened + other.hostOpened, absorbed + other.absorbed);
        }
    }

    /**
     * One day of the run.
     *
     * @param day       from 1
     * @param warmUp    how much of the day is warm-up
     * @param inWarmUp  openings during the warm-up
     * @param counted   openings after it
     * @param hostDays  host-days after the warm-up in this day
     */
    record Day(int day, Duration warmUp, Counts inWarmUp, Counts counted, double hostDays) {

        /** Openings after the warm-up per host-day after the warm-up; NaN for a day that is all warm-up. */
        double perHostDay() {
            return FleetTimeline.perHostDay(counted.openings(), hostDays);
        }
    }

    private FleetDailyOpenings() {
    }

    /** Every day the run touches, in order. */
    static List<Day> byDay(FleetRun run) {
        FleetTimeline timeline = run.timeline();
        Counts[] inWarmUp = new Counts[timeline.days()];
        Counts[] counted = new Counts[timeline.days()];
        Arrays.fill(inWarmUp, Counts.NONE);
        Arrays.fill(counted, Counts.NONE);
        for (FleetRun.SeriesOpening opening : run.seriesOpenings()) {
            Counts one = opening.announced() ? new Counts(1, 0, 0) : new Counts(0, 0, 1);
            add(timeline, opening.time(), one, inWarmUp, counted);
        }
        for (FleetRun.HostOpening opening : run.hostOpenings()) {
            add(timeline, opening.time(), new Counts(0, 1, 0), inWarmUp, counted);
        }
        List<Day> days = new ArrayList<>(timeline.days());
        for (int day = 1; day <= timeline.days(); day++) {
            days.add(new Day(day, Duration.ofMillis(timeline.warmUpIn(day)), inWarmUp[day - 1], counted[day - 1], timeline.hostDaysCounted(day)));
        }
        return days;
    }

    private static void add(FleetTimeline timeline, long time, Counts one, Counts[] inWarmUp, Counts[] counted) {
        Counts[] period = timeline.inWarmUp(time) ? inWarmUp : counted;
        int index = timeline.dayOf(time) - 1;
        period[index] = period[index].plus(one);
    }

    /** The openings after the warm-up, all days together. */
    static Counts counted(List<Day> days) {
        Counts total = Counts.NONE;
        for (Day day : days) {
            total = total.plus(day.counted());
        }
        return total;
    }
}
