package dev.vigil.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StudentTTest {

    @Test
    void shouldGiveTheTablesQuantiles() {
        // two-sided 95 % and 99 % points of Student's t (any statistics table)
        assertThat(StudentT.quantileLike(1.959964, 10)).isCloseTo(2.228, within(0.001));
        assertThat(StudentT.quantileLike(1.959964, 5)).isCloseTo(2.571, within(0.002));
        assertThat(StudentT.quantileLike(2.575829, 10)).isCloseTo(3.169, within(0.001));
        // the tail of 4 normal standard errors: 6.567 with 10 degrees of freedom, 4.645 with 30
        assertThat(StudentT.quantileLike(4, 10)).isCloseTo(6.567, within(0.01));
        assertThat(StudentT.quantileLike(4, 30)).isCloseTo(4.645, within(0.001));
    }

    @Test
    void shouldAskForMoreTheFewerTheDegreesOfFreedomAndTheNormalsForMany() {
        assertThat(StudentT.quantileLike(4, 3)).isGreaterThan(20);
        assertThat(StudentT.quantileLike(4, 1e9)).isCloseTo(4, within(1e-6));
        assertThat(StudentT.quantileLike(4, 0)).isInfinite();
        assertThat(StudentT.quantileLike(4, -1)).isInfinite();
    }
}
