package dev.vigil.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WindowAccumulatorTest {

    @Test
    void shouldGiveTheExactNearestRankPercentileForAMinuteOfTenSecondSamples() {
        WindowAccumulator window = WindowAccumulator.startingAt(0);
        for (double value : new double[] {3, 1, 4, 1, 5, 9}) {
            window.add(value);
        }

        assertThat(window.count()).isEqualTo(6);
        assertThat(window.min()).isEqualTo(1);
        assertThat(window.max()).isEqualTo(9);
        assertThat(window.mean()).isEqualTo(23 / 6.0);
        assertThat(window.last()).isEqualTo(9);
        assertThat(window.p95()).isEqualTo(9);
    }

    @Test
    void shouldEstimateThe95thPercentileOfAnHourOfSamplesClosely() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] values = new double[360];
            WindowAccumulator window = WindowAccumulator.startingAt(0);
            for (int i = 0; i < values.length; i++) {
                values[i] = -Math.log(1 - random.nextDouble()); // exponential: a skewed, long-tailed metric
                window.add(values[i]);
            }
            Arrays.sort(values);
            double exact = values[(int) Math.ceil(0.95 * values.length) - 1];

            assertThat(window.p95()).as("seed %d", seed).isCloseTo(exact, within(0.15 * exact));
        }
    }

    @Test
    void shouldCarryOnIdenticallyAfterASerialisationRoundTrip() {
        SplittableRandom random = new SplittableRandom(7);
        WindowAccumulator original = WindowAccumulator.startingAt(60_000);
        WindowAccumulator restored = null;
        for (int i = 0; i < 100; i++) {
            double value = random.nextGaussian();
            original.add(value);
            if (restored != null) {
                restored.add(value);
            }
            if (i == 4 || i == 50) {
                ByteBuffer buffer = ByteBuffer.allocate(WindowAccumulator.BYTES);
                original.writeTo(buffer);
                assertThat(buffer.position()).isEqualTo(WindowAccumulator.BYTES);
                restored = WindowAccumulator.readFrom(buffer.flip());
            }
        }

        assertThat(restored.windowStart()).isEqualTo(60_000);
        assertThat(restored.count()).isEqualTo(original.count());
        assertThat(restored.p95()).isEqualTo(original.p95());
        assertThat(restored.mean()).isEqualTo(original.mean());
    }
}
