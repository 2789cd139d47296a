package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class FleetDailyOpeningsTest {

    private static final int HOSTS = 4;
    private static final FleetTimeline TIMELINE = FleetTimeline.of(Instant.parse("2026-01-05T00:00:00Z"), Duration.ofSeconds(10), 3, 150, HOSTS);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long WARM_UP_ON_DAY_2 = Duration.ofMinutes(25).toMillis();

    private static long at(int day, long sinceMidnight) {
        return TIMELINE.start() + (day - 1) * FleetTimeline.DAY + sinceMidnight;
    }

    @Test
    void shouldEndTheWarmUpAfterDayOneAndTheDetectorsWarmUp() {
        assertThat(TIMELINE.ticks()).isEqualTo(3 * 8_640);
        assertThat(TIMELINE.warmUpEnd()).isEqualTo(at(2, WARM_UP_ON_DAY_2));
        assertThat(TIMELINE.warmUp()).isEqualTo(Duration.ofHours(24).plusMinutes(25));
        assertThat(TIMELINE.hostDaysCounted()).isCloseTo(HOSTS * (2 - 25 / 1440.0), within(1e-9));
    }

    @Test
    void shouldCountOpeningsDayByDayWithTheWarmUpApart() {
        FleetRun run = new FleetRun(TIMELINE, 10,
                List.of(new FleetRun.SeriesOpening(0, 1, at(1, 12 * HOUR), true),
                        new FleetRun.SeriesOpening(1, 1, at(2, WARM_UP_ON_DAY_2 - 10_000), true),
                        new FleetRun.SeriesOpening(1, 2, at(2, WARM_UP_ON_DAY_2), true),
                        new FleetRun.SeriesOpening(2, 3, at(3, HOUR), true),
                        new FleetRun.SeriesOpening(2, 4, at(3, HOUR), false)),
                List.of(new FleetRun.HostOpening(2, at(3, HOUR), List.of(3, 4, 5))),
                List.of());

        List<FleetDailyOpenings.Day> days = FleetDailyOpenings.byDay(run);

        assertThat(days).extracting(FleetDailyOpenings.Day::day).containsExactly(1, 2, 3);
        assertThat(days.get(0).warmUp()).isEqualTo(Duration.ofDays(1));
        assertThat(days.get(0).inWarmUp()).isEqualTo(new FleetDailyOpenings.Counts(1, 0, 0));
        assertThat(days.get(0).hostDays()).isZero();
        assertThat(days.get(0).perHostDay()).isNaN();
        assertThat(days.get(1).warmUp()).isEqualTo(Duration.ofMinutes(25));
        assertThat(days.get(1).inWarmUp()).isEqualTo(new FleetDailyOpenings.Counts(1, 0, 0));
        assertThat(days.get(1).counted()).isEqualTo(new FleetDailyOpenings.Counts(1, 0, 0));
        assertThat(days.get(1).perHostDay()).isCloseTo(1 / (HOSTS * (1 - 25 / 1440.0)), within(1e-9));
        assertThat(days.get(2).counted()).as("the absorbed series is counted apart").isEqualTo(new FleetDailyOpenings.Counts(1, 1, 1));
        assertThat(days.get(2).perHostDay()).isCloseTo(2.0 / HOSTS, within(1e-9));
        FleetDailyOpenings.Counts counted = FleetDailyOpenings.counted(days);
        assertThat(counted.openings()).isEqualTo(3);
        assertThat(TIMELINE.perHostDay(counted.openings())).isCloseTo(3 / TIMELINE.hostDaysCounted(), within(1e-9));
    }
}
