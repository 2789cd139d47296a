package dev.vigil.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeptMappingsTest {

    @Test
    void shouldForgetEveryMappingAtOnceWhenFull() {
        KeptMappings<String, Integer> kept = new KeptMappings<>(2);
        kept.keep("a", 1);
        kept.keep("b", 2);
        assertThat(kept.get("a")).isEqualTo(1);

        kept.keep("c", 3);

        assertThat(kept.size()).isEqualTo(1);
        assertThat(kept.get("a")).isNull();
        assertThat(kept.get("c")).isEqualTo(3);
        kept.forget();
        assertThat(kept.size()).isZero();
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
