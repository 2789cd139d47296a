package dev.vigil.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.RefusedPoints;
import dev.vigil.gateway.model.Refusals;

class BatchAssemblerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long NOW = 1_700_000_000_000L;

    private final BatchAssembler assembler = new BatchAssembler(3, 1_000, Duration.ofMinutes(10));

    @Test
    void shouldGroupPointsIntoOneBatchPerHost() {
        BatchAssembler.Assembled assembled = assembler.assemble(List.of(
                Point.gauge("web-01", "cpu.load", Map.of(), "1", 10 * SECOND, 0.5),
                Point.gauge("web-02", "cpu.load", Map.of(), "1", 10 * SECOND, 0.7),
                Point.gauge("web-01", "mem.used", Map.of("state", "used"), "By", 10 * SECOND, 1024)), NOW, new Refusals());

        assertThat(assembled.acceptedPoints()).isEqualTo(3);
        assertThat(assembled.batches()).extracting(EncodedBatch::hostId).containsExactly("web-01", "web-02");
        MetricBatch first = assembled.batches().get(0).decode();
        assertThat(first.getSamples()).extracting(sample -> sample.getName().toString()).containsExactly("cpu.load", "mem.used");
        assertThat(first.getSamples().get(0).getObservedAt().toEpochMilli()).isEqualTo(10_000);
        assertThat(first.getCollectedAt().toEpochMilli()).isEqualTo(NOW);
    }

    @Test
    void shouldPublishCumulativePointsAsRatesFromTheSecondPointOn() {
        Point first = new Point("web-01", "http.requests", Map.of(), "{request}", 10 * SECOND, SECOND, 100, PointKind.CUMULATIVE);
        Point second = new Point("web-01", "http.requests", Map.of(), "{request}", 20 * SECOND, SECOND, 300, PointKind.CUMULATIVE);

        BatchAssembler.Assembled one = assembler.assemble(List.of(first), NOW, new Refusals());
        BatchAssembler.Assembled two = assembler.assemble(List.of(second), NOW, new Refusals());

        assertThat(one.acceptedPoints()).as("taken, though it gives no sample").isEqualTo(1);
        assertThat(one.batches()).isEmpty();
        Sample rate = two.batches().get(0).decode().getSamples().get(0);
        assertThat(rate.getValue()).isEqualTo(20.0);
        assertThat(rate.getKind()).isEqualTo(MetricKind.COUNTER);
        assertThat(rate.getUnit().toString()).isEqualTo("{request}/s");
    }

    @Test
    void shouldRefuseWhatBreaksTheContractAndKeepTheRest() {
        Refusals refusals = new Refusals();
        BatchAssembler.Assembled assembled = assembler.assemble(List.of(
                Point.gauge("web-01", "ok", Map.of(), "", SECOND, 1),
                Point.gauge("web-01", "nan", Map.of(), "", SECOND, Double.NaN),
                Point.gauge("web-01", "inf", Map.of(), "", SECOND, Double.POSITIVE_INFINITY),
                Point.gauge("web-01", "1bad", Map.of(), "", SECOND, 1),
                Point.gauge("web-01", "labels", Map.of("bad label", "x"), "", SECOND, 1),
                Point.gauge("bad host!", "ok", Map.of(), "", SECOND, 1)), NOW, refusals);

        assertThat(assembled.acceptedPoints()).isEqualTo(1);
        assertThat(refusals.list()).extracting(RefusedPoints::reason, RefusedPoints::points).containsExactly(
                org.assertj.core.groups.Tuple.tuple(RefusalReason.INVALID_HOST, 1),
                org.assertj.core.groups.Tuple.tuple(RefusalReason.INVALID_NAME, 1),
                org.assertj.core.groups.Tuple.tuple(RefusalReason.INVALID_LABELS, 1),
                org.assertj.core.groups.Tuple.tuple(RefusalReason.NOT_FINITE, 2));
    }

    @Test
    void shouldCheckAPointWhoseLabelsOnlyLookLikeAnAdmittedSeries() {
        assembler.assemble(List.of(Point.gauge("web-01", "m", Map.of("a", "b=c"), "", SECOND, 1)), NOW, new Refusals());
        Refusals refusals = new Refusals();

        BatchAssembler.Assembled assembled = assembler.assemble(List.of(Point.gauge("web-01", "m", Map.of("a=b", "c"), "", SECOND, 1)),
                NOW, refusals);

        assertThat(assembled.batches()).isEmpty();
        assertThat(refusals.list()).extracting(RefusedPoints::reason).containsExactly(RefusalReason.INVALID_LABELS);
    }

    @Test
    void shouldRefuseNewSeriesOfAHostBeyondItsBoundButKeepItsKnownOnes() {
        Refusals refusals = new Refusals();
        for (int i = 0; i < 3; i++) {
            assembler.assemble(List.of(Point.gauge("web-01", "m" + i, Map.of(), "", SECOND, 1)), NOW, refusals);
        }

        BatchAssembler.Assembled more = assembler.assemble(List.of(
                Point.gauge("web-01", "m0", Map.of(), "", 2 * SECOND, 2),
                Point.gauge("web-01", "m3", Map.of(), "", 2 * SECOND, 2),
                Point.gauge("web-02", "m3", Map.of(), "", 2 * SECOND, 2)), NOW, refusals);

        assertThat(more.acceptedPoints()).isEqualTo(2);
        assertThat(refusals.list()).singleElement().extracting(RefusedPoints::reason).isEqualTo(RefusalReason.TOO_MANY_SERIES);
    }

    @Test
    void shouldRefuseADeltaWithoutAnInterval() {
        Refusals refusals = new Refusals();
        assembler.assemble(List.of(new Point("web-01", "jobs", Map.of(), "", SECOND, 0, 5, PointKind.DELTA)), NOW, refusals);

        assertThat(refusals.list()).singleElement().extracting(RefusedPoints::reason).isEqualTo(RefusalReason.NO_INTERVAL);
    }
}
