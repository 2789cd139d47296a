package dev.vigil.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.DailyProfile;
import dev.vigil.detection.DetectorSettings;

class DailyProfilePagesTest {

    /** A state store of pages, as the streams application keeps them. */
    private final Map<Integer, byte[]> store = new HashMap<>();
    private final DailyProfilePages.Source source = new DailyProfilePages.Source() {
        @Override
        public byte[] get(int slot) {
            return store.get(slot);
        }

        @Override
        public void put(int slot, byte[] page) {
            store.put(slot, page);
        }
    };

    @Test
    void shouldKeepAnHourUnseenForASeriesUntilItReadsAValueInItEvenAfterALaterSeriesDid() {
        DailyProfilePages pages = new DailyProfilePages(source);
        pages.forSeries(2).widenHour(5, 10.0);
        pages.flush();

        DailyProfilePages reloaded = new DailyProfilePages(source);
        DailyProfile first = reloaded.forSeries(0);
        DailyProfile third = reloaded.forSeries(2);

        assertThat(first.hourLow(5)).as("series 0 never read hour 5").isGreaterThan(first.hourHigh(5));
        assertThat(third.hourLow(5)).isEqualTo(10f);
        assertThat(third.hourHigh(5)).isEqualTo(10f);
        assertThat(third.hourLow(6)).isGreaterThan(third.hourHigh(6));
    }

    @Test
    void shouldRoundAnHourRangeOutwardsSoAValueOnceReadIsNeverOutsideIt() {
        DailyProfile profile = new DailyProfilePages(source).forSeries(0);
        double value = 0.1; // not a float
        profile.widenHour(3, value);

        assertThat((double) profile.hourLow(3)).isLessThanOrEqualTo(value);
        assertThat((double) profile.hourHigh(3)).isGreaterThanOrEqualTo(value);
    }

    @Test
    void shouldLetADetectorCarryOnFromItsCoreAndPagesExactlyAsIfNeverStopped() {
        DetectorSettings settings = DetectorSettings.DEFAULT;
        AnomalyDetector uninterrupted = new AnomalyDetector(settings);
        DailyProfilePages pages = new DailyProfilePages(source);
        AnomalyDetector paged = new AnomalyDetector(settings, pages.forSeries(0));
        long fiveMinutes = 300_000;
        int stopAt = 288 * 5; // five days: past the warm-up and the days the time-of-day context waits for
        List<Double> expected = new ArrayList<>();
        List<Double> actual = new ArrayList<>();
        for (int i = 0; i < 288 * 8; i++) {
            long time = 1_700_000_000_000L + i * fiveMinutes;
            double value = 50 + 20 * Math.sin(i * 2 * Math.PI / 288) + (i % 7) + (i == 288 * 6 + 100 ? 40 : 0);
            AnomalyScore score = uninterrupted.update(time, value);
            expected.add(score.score());
            actual.add(paged.update(time, value).score());
            if (i == stopAt) {
                byte[] core = paged.coreToBytes();
                pages.flush();
                pages = new DailyProfilePages(source);
                paged = AnomalyDetector.fromCore(core, pages.forSeries(0), settings);
            }
        }

        assertThat(actual).isEqualTo(expected);
        assertThat(expected.subList(stopAt, expected.size())).as("the restored detector was scoring").anyMatch(score -> score > 0);
    }
}
