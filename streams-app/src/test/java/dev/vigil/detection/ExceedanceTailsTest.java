package dev.vigil.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class ExceedanceTailsTest {

    @Test
    void shouldFindAFirstExceedanceAsSurprisingAsTheMostExtremeOfNPlusOneValuesAndTheGapBeyond() {
        ExceedanceTails tails = new ExceedanceTails(1);

        // No record of its own: chance 2 / (n + 2), and an exponential tail with the gap prior as its mean.
        assertThat(tails.surprise(0, 998, 0, 1)).isCloseTo(Math.log(500), within(1e-9));
        assertThat(tails.surprise(0, 998, 2, 1) - tails.surprise(0, 998, 0, 1)).isCloseTo(2, within(1e-9));
    }

    @Test
    void shouldFindATestThatIsOftenExceededLessSurprising() {
        ExceedanceTails quiet = new ExceedanceTails(1);
        ExceedanceTails busy = new ExceedanceTails(1);
        for (int i = 0; i < 2000; i++) {
            quiet.observe(0, 0);
            busy.observe(0, i % 10 == 0 ? 1 : 0); // exceeded one evaluation in ten
        }

        double quietNats = quiet.surprise(0, 2000, 1, 1);
        double busyNats = busy.surprise(0, 2000, 1, 1);

        assertThat(busyNats).isLessThan(quietNats);
        assertThat(busyNats).as("about -ln(0.1) for going beyond, plus one mean exceedance").isBetween(2.5, 4.0);
    }

    @Test
    void shouldLearnHowFarItsExceedancesGo() {
        ExceedanceTails far = new ExceedanceTails(1);
        for (int i = 0; i < 50; i++) {
            far.observe(0, 10);
        }

        assertThat(far.surprise(0, 1000, 10, 1)).as("a usual distance for this test")
                .isLessThan(new ExceedanceTails(1).surprise(0, 1000, 10, 1));
    }

    @Test
    void shouldReadBackWhatItWrote() {
        ExceedanceTails tails = new ExceedanceTails(3);
        for (int i = 0; i < 100; i++) {
            tails.observe(i % 3, i % 7 == 0 ? i / 10.0 : 0);
        }
        ByteBuffer buffer = ByteBuffer.allocate(3 * ExceedanceTails.BYTES_PER_TEST);
        tails.write(buffer);
        buffer.flip();
        ExceedanceTails read = new ExceedanceTails(3);
        read.read(buffer);

        for (int test = 0; test < 3; test++) {
            assertThat(read.surprise(test, 100, 1.5, 0.5)).isEqualTo(tails.surprise(test, 100, 1.5, 0.5));
        }
        assertThat(buffer.hasRemaining()).isFalse();
    }
}
