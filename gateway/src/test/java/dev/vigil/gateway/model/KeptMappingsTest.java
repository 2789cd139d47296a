package dev.vigil.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class KeptMappingsTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void shouldKeepTheFirstMappingsWhenFullUntilTheRefreshThenForgetEveryOne() {
        KeptMappings<Integer> kept = new KeptMappings<>(2, nanos::get);
        kept.keep(key("a"), 1);
        kept.keep(key("b"), 2);

        kept.keep(key("c"), 3);
        nanos.addAndGet(KeptMappings.REFRESH.toNanos() - 1);
        kept.keep(key("d"), 4);

        assertThat(kept.get(key("a"))).isEqualTo(1);
        assertThat(kept.get(key("b"))).isEqualTo(2);
        assertThat(kept.get(key("c"))).isNull();
        assertThat(kept.get(key("d"))).isNull();

        nanos.incrementAndGet();
        kept.keep(key("e"), 5);

        assertThat(kept.size()).isEqualTo(1);
        assertThat(kept.get(key("a"))).isNull();
        assertThat(kept.get(key("e"))).isEqualTo(5);
    }

    @Test
    void shouldStartTheRefreshOverWhenForgotten() {
        KeptMappings<Integer> kept = new KeptMappings<>(1, nanos::get);
        kept.keep(key("a"), 1);
        nanos.addAndGet(KeptMappings.REFRESH.toNanos());
        kept.forget();
        kept.keep(key("b"), 2);

        kept.keep(key("c"), 3);

        assertThat(kept.size()).isEqualTo(1);
        assertThat(kept.get(key("b"))).isEqualTo(2);
        assertThat(kept.get(key("c"))).isNull();
    }

    @Test
    void shouldFindEveryMappingAgainAsItGrowsAndReplaceOneKeptTwice() {
        KeptMappings<Integer> kept = new KeptMappings<>(100_000);
        for (int i = 0; i < 50_000; i++) {
            kept.keep(key("series-" + i), i);
        }
        kept.keep(key("series-7"), -7);

        assertThat(kept.size()).isEqualTo(50_000);
        for (int i = 0; i < 50_000; i++) {
            assertThat(kept.get(key("series-" + i))).isEqualTo(i == 7 ? -7 : i);
        }
        assertThat(kept.get(key("series-50000"))).isNull();
        assertThat(kept.get(new Fingerprint(key("series-1").first(), key("series-2").second()))).isNull();
    }

    @Test
    void shouldFindWhatOtherThreadsKeepWhileItGrows() throws Exception {
        KeptMappings<Integer> kept = new KeptMappings<>(1_000_000);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                wrong.add(threads.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < 20_000; i++) {
                        Fingerprint own = key(thread + "/" + i);
                        kept.keep(own, i);
                        Integer found = kept.get(own);
                        if (found == null || found != i) {
                            mismatches++;
                        }
                        // Another thread's series: not yet kept (null) or kept with its own value, never another's.
                        Integer other = kept.get(key((thread + 1) % 4 + "/" + i));
                        if (other != null && other != i) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> mismatches : wrong) {
                assertThat(mismatches.get()).isZero();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(kept.size()).isEqualTo(80_000);
    }

    @Test
    void shouldKeepNothingWhenItsBoundIsZeroAndRefuseANegativeOne() {
        KeptMappings<Integer> none = new KeptMappings<>(0);
        none.keep(key("a"), 1);

        assertThat(none.keeps()).isFalse();
        assertThat(none.get(key("a"))).isNull();
        assertThat(none.size()).isZero();
        assertThatThrownBy(() -> new KeptMappings<Integer>(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    private static Fingerprint key(String text) {
        return Fingerprint.START.with(text).finished();
    }
}
