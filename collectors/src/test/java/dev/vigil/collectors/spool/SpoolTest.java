package dev.vigil.collectors.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.MetricBatches;

class SpoolTest {

    @TempDir
    Path dir;

    private static MetricBatch batch(Spool spool) {
        return MetricBatch.newBuilder(MetricBatches.batch("host-1", 10, 7)).setSequence(spool.nextSequence()).build();
    }

    @Test
    void shouldKeepBatchesInSequenceOrderUntilRemoved() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        MetricBatch first = batch(spool);
        spool.append(first);
        MetricBatch second = batch(spool);
        spool.append(second);

        assertThat(spool.oldest()).contains(1L);
        assertThat(spool.nextAfter(1, 0)).contains(2L);
        assertThat(spool.read(1)).contains(first);

        spool.remove(1);

        assertThat(spool.oldest()).contains(2L);
        assertThat(spool.size()).isEqualTo(1);
    }

    @Test
    void shouldFindItsBatchesAndContinueTheSequenceAfterARestart() throws Exception {
        Spool before = new Spool(dir, 1 << 20);
        for (int i = 0; i < 3; i++) {
            before.append(batch(before));
        }
        before.remove(1);
        before.remove(2);
        before.remove(3);
        before.append(batch(before));
        Files.writeString(dir.resolve("00000000000000000099.batch.tmp"), "half a write");

        Spool after = new Spool(dir, 1 << 20);

        assertThat(after.size()).isEqualTo(1);
        assertThat(after.oldest()).contains(4L);
        assertThat(after.nextSequence()).as("never reuses a sequence, even of removed batches").isEqualTo(5);
        assertThat(dir.resolve("00000000000000000099.batch.tmp")).doesNotExist();
    }

    @Test
    void shouldDropTheOldestBatchesAndCountThemWhenFull() throws Exception {
        Spool probe = new Spool(dir.resolve("probe"), 1 << 20);
        probe.append(batch(probe));
        long oneBatch = probe.bytes();
        Spool spool = new Spool(dir.resolve("small"), oneBatch * 3 + oneBatch / 2);

        for (int i = 0; i < 10; i++) {
            spool.append(batch(spool));
        }

        assertThat(spool.size()).isEqualTo(3);
        assertThat(spool.dropped()).isEqualTo(7);
        assertThat(spool.oldest()).as("the newest are kept").contains(8L);
        assertThat(spool.read(1)).isEmpty();
    }

    @Test
    void shouldDropAndCountADamagedBatchSoTheNextOnesStillShip() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        spool.append(batch(spool));
        MetricBatch second = batch(spool);
        spool.append(second);
        Files.write(dir.resolve("00000000000000000001.batch"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});

        assertThat(spool.read(1)).isEmpty();
        assertThat(spool.corrupt()).isEqualTo(1);
        assertThat(spool.oldest()).contains(2L);
        assertThat(spool.read(2)).contains(second);
    }

    @Test
    void shouldRefuseASequenceThatIsNotNew() throws IOException {
        Spool spool = new Spool(dir, 1 << 20);
        spool.append(batch(spool));
        MetricBatch stale = MetricBatches.batch("host-1", 1, 1);

        assertThatThrownBy(() -> spool.append(stale)).isInstanceOf(IllegalArgumentException.class);
    }
}
