package dev.vigil.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class TransitionGridTest {

    @Test
    void shouldGiveValuesBelowAndAboveTheRangeABinEach() {
        TransitionGrid grid = new TransitionGrid();
        grid.fix(0, 100);

        assertThat(grid.binOf(-5)).isZero();
        assertThat(grid.binOf(0)).isEqualTo(1);
        assertThat(grid.binOf(49)).isEqualTo(2);
        assertThat(grid.binOf(99.9)).isEqualTo(TransitionGrid.BINS);
        assertThat(grid.binOf(100)).isEqualTo(TransitionGrid.BINS + 1);
        assertThat(grid.binOf(1e9)).isEqualTo(TransitionGrid.BINS + 1);
    }

    @Test
    void shouldKnowWhatFollowsABinOnceItHasBeenLeftOftenEnough() {
        TransitionGrid grid = new TransitionGrid();
        assertThat(grid.isFixed()).isFalse();
        grid.fix(0, 100);

        for (int i = 0; i < TransitionGrid.VISITS - 1; i++) {
            grid.learn(2, 40 + i);
        }
        assertThat(grid.isKnown(2)).isFalse();
        grid.learn(2, 30);

        assertThat(grid.isFixed()).isTrue();
        assertThat(grid.isKnown(2)).isTrue();
        assertThat(grid.lowestNext(2)).isEqualTo(30);
        assertThat(grid.highestNext(2)).isEqualTo(58);
        assertThat(grid.isKnown(3)).isFalse();
    }

    @Test
    void shouldReadBackWhatItWrote() {
        TransitionGrid grid = new TransitionGrid();
        grid.fix(-1, 1);
        grid.learn(3, 0.5);
        ByteBuffer buffer = ByteBuffer.allocate(TransitionGrid.BYTES);
        grid.write(buffer);
        buffer.flip();

        TransitionGrid read = new TransitionGrid();
        read.read(buffer);

        assertThat(buffer.hasRemaining()).isFalse();
        assertThat(read.binOf(0.2)).isEqualTo(grid.binOf(0.2));
        assertThat(read.visits(3)).isEqualTo(1);
        assertThat(read.highestNext(3)).isEqualTo(0.5);
        assertThat(read.lowestNext(0)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
