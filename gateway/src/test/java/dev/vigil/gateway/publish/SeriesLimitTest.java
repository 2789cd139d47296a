package dev.vigil.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.model.CumulativeRates;

class SeriesLimitTest {

    @Test
    void shouldAdmitUpToTheBoundPerHostAndKnowWhatItAdmitted() {
        SeriesLimit limit = new SeriesLimit(2, Duration.ofMinutes(10));
        assertThat(limit.touch("web-1", "a")).as("unknown yet").isFalse();
        assertThat(limit.admit("web-1", "a")).isTrue();
        assertThat(limit.admit("web-1", "b")).isTrue();
        assertThat(limit.admit("web-1", "c")).as("a third series of a host bound to two").isFalse();
        assertThat(limit.admit("web-2", "c")).as("another host has its own bound").isTrue();
        assertThat(limit.touch("web-1", "a")).isTrue();
        assertThat(limit.touch("web-1", "c")).as("refused, so not known").isFalse();
        assertThat(limit.admit("web-1", "a")).as("a known series again").isTrue();
        assertThat(limit.size()).isEqualTo(3);
    }

    @Test
    void shouldFreeThePlacesOfIdleSeriesAndForgetEmptiedHosts() {
        SeriesLimit limit = new SeriesLimit(1, CumulativeRates.SWEEP_EVERY.multipliedBy(2));
        limit.admit("web-1", "a");
        limit.admit("web-2", "x");
        for (int sweep = 0; sweep < 3; sweep++) {
            limit.touch("web-2", "x");
            limit.expireIdle();
        }
        assertThat(limit.touch("web-1", "a")).as("not seen for three sweeps").isFalse();
        assertThat(limit.touch("web-2", "x")).as("seen every sweep").isTrue();
        assertThat(limit.admit("web-1", "b")).as("its place is free again").isTrue();
        assertThat(limit.size()).isEqualTo(2);
    }

    @Test
    void shouldNeverAdmitMoreThanTheBoundWhenThreadsRaceWithTheSweep() throws Exception {
        SeriesLimit limit = new SeriesLimit(50, Duration.ofSeconds(1));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> admitted = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                admitted.add(threads.submit(() -> {
                    int count = 0;
                    for (int i = 0; i < 100; i++) {
                        if (limit.admit("web-1", thread + "-" + i)) {
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
            assertThat(limit.size()).isEqualTo(50);
        } finally {
            threads.shutdownNow();
        }
    }
}
