package dev.vigil.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class KeptMappingsTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void shouldKeepTheFirstMappingsWhenFullUntilTheRefreshThenForgetEveryOne() {
        KeptMappings<String, Integer> kept = new KeptMappings<>(2, nanos::get);
        kept.keep("a", 1);
        kept.keep("b", 2);

        kept.keep("c", 3);
        nanos.addAndGet(KeptMappings.REFRESH.toNanos() - 1);
        kept.keep("d", 4);

        assertThat(kept.get("a")).isEqualTo(1);
        assertThat(kept.get("b")).isEqualTo(2);
        assertThat(kept.get("c")).isNull();
        assertThat(kept.get("d")).isNull();

        nanos.incrementAndGet();
        kept.keep("e", 5);

        assertThat(kept.size()).isEqualTo(1);
        assertThat(kept.get("a")).isNull();
        assertThat(kept.get("e")).isEqualTo(5);
    }

    @Test
    void shouldStartTheRefreshOverWhenForgotten() {
        KeptMappings<String, Integer> kept = new KeptMappings<>(1, nanos::get);
        kept.keep("a", 1);
        nanos.addAndGet(KeptMappings.REFRESH.toNanos());
        kept.forget();
        kept.keep("b", 2);

        kept.keep("c", 3);

        assertThat(kept.size()).isEqualTo(1);
        assertThat(kept.get("b")).isEqualTo(2);
        assertThat(kept.get("c")).isNull();
    }

    @Test
    void shouldKeepNothingWhenItsBoundIsZeroAndRefuseANegativeOne() {
        KeptMappings<String, Integer> none = new KeptMappings<>(0);
        none.keep("a", 1);

        assertThat(none.keeps()).isFalse();
        assertThat(none.get("a")).isNull();
        assertThat(none.size()).isZero();
        assertThatThrownBy(() -> new KeptMappings<String, Integer>(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
