package dev.vigil.collectors.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AnomalyKind;
import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;

class FleetSimulatorTest {

    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");

    private static FleetSimulator.Options options(long seed) {
        return new FleetSimulator.Options(5, 20, seed, START, Duration.ofSeconds(60), Duration.ofHours(12), Duration.ofHours(2));
    }

    private record Run(List<MetricBatch> batches, List<InjectedAnomaly> truth) {
    }

    private static Run run(FleetSimulator.Options options, int ticks) {
        FleetSimulator simulator = new FleetSimulator(options);
        List<MetricBatch> batches = new ArrayList<>();
        List<InjectedAnomaly> truth = new ArrayList<>();
        for (int i = 0; i < ticks; i++) {
            batches.addAll(simulator.nextTick(truth::add));
        }
        return new Run(batches, truth);
    }

    @Test
    void shouldGiveTheSameBatchesAndTruthForTheSameSeed() {
        Run first = run(options(42), 1_440);
        Run second = run(options(42), 1_440);

        assertThat(second.batches()).isEqualTo(first.batches());
        assertThat(second.truth()).isEqualTo(first.truth());
    }

    @Test
    void shouldDifferForAnotherSeed() {
        assertThat(run(options(43), 10).batches()).isNotEqualTo(run(options(42), 10).batches());
    }

    @Test
    void shouldProduceOneBatchPerHostPerTickAtSimulatedTime() {
        Run run = run(options(1), 3);

        assertThat(run.batches()).hasSize(15);
        assertThat(run.batches()).allSatisfy(batch -> assertThat(batch.getSamples()).hasSize(20));
        assertThat(run.batches().get(5).getCollectedAt()).isEqualTo(START.plusSeconds(60));
        assertThat(run.batches().get(5).getSequence()).isEqualTo(2);
        assertThat(run.batches().stream().map(MetricBatch::getHostId).distinct()).hasSize(5);
    }

    @Test
    void shouldInjectEveryKindAfterTheWarmUpAndReportItAsTruth() {
        Run run = run(new FleetSimulator.Options(20, 20, 7, START, Duration.ofSeconds(60), Duration.ofHours(6), Duration.ofHours(2)), 1_440);

        Set<AnomalyKind> kinds = EnumSet.noneOf(AnomalyKind.class);
        run.truth().forEach(anomaly -> kinds.add(anomaly.getKind()));
        assertThat(kinds).containsAll(List.of(AnomalyKind.SPIKE, AnomalyKind.LEVEL_SHIFT, AnomalyKind.SLOW_LEAK,
                AnomalyKind.STUCK, AnomalyKind.FLATLINE, AnomalyKind.SEASONAL_BREAK));
        assertThat(run.truth()).allSatisfy(anomaly -> {
            assertThat(anomaly.getStart()).isAfterOrEqualTo(START.plus(Duration.ofHours(2)));
            assertThat(anomaly.getEnd()).isAfterOrEqualTo(anomaly.getStart());
            assertThat(anomaly.getSeed()).isEqualTo(7);
        });
    }

    @Test
    void shouldFlatlineASeriesForExactlyTheReportedWindow() {
        FleetSimulator.Options options = new FleetSimulator.Options(20, 10, 11, START, Duration.ofSeconds(60), Duration.ofHours(3),
                Duration.ofHours(1));
        Run run = run(options, 1_440);
        InjectedAnomaly flatline = run.truth().stream().filter(a -> a.getKind() == AnomalyKind.FLATLINE).findFirst().orElseThrow();

        List<Double> inside = new ArrayList<>();
        for (MetricBatch batch : run.batches()) {
            if (batch.getHostId().equals(flatline.getHostId()) && !batch.getCollectedAt().isBefore(flatline.getStart())
                    && !batch.getCollectedAt().isAfter(flatline.getEnd())) {
                batch.getSamples().stream().filter(s -> s.getName().equals(flatline.getMetric()) && s.getLabels().equals(flatline.getLabels()))
                        .map(Sample::getValue).forEach(inside::add);
            }
        }

        assertThat(inside).isNotEmpty().allSatisfy(value -> assertThat(value).isZero());
    }

    @Test
    void shouldKeepRatiosBetweenZeroAndOne() {
        Run run = run(options(3), 500);

        assertThat(run.batches()).flatExtracting(MetricBatch::getSamples)
                .filteredOn(sample -> sample.getUnit().equals("1"))
                .allSatisfy(sample -> assertThat(sample.getValue()).isBetween(0.0, 1.0));
    }

    @Test
    void shouldGiveAHostSteppedOnItsOwnTheSameValuesAndTruthAsTheFleetsBatches() {
        FleetSimulator.Options options = new FleetSimulator.Options(3, 12, 5, START, Duration.ofSeconds(10), Duration.ofMinutes(30),
                Duration.ofMinutes(10));
        Run fleet = run(options, 2_000);

        for (int h = 0; h < options.hosts(); h++) {
            SimulatedHost host = SimulatedHost.of(options, h);
            List<Double> values = new ArrayList<>();
            List<InjectedAnomaly> truth = new ArrayList<>();
            List<String> truthSeries = new ArrayList<>();
            double[] tick = new double[host.seriesCount()];
            for (int t = 0; t < 2_000; t++) {
                assertThat(host.nextTimeMillis()).isEqualTo(START.plusSeconds(10L * t).toEpochMilli());
                host.nextTick(tick, (anomaly, series) -> {
                    truth.add(anomaly);
                    truthSeries.add(host.metric(series) + host.labels(series));
                });
                for (double value : tick) {
                    values.add(value);
                }
            }

            String hostId = host.id();
            assertThat(values).as("values of %s", hostId).containsExactlyElementsOf(fleet.batches().stream()
                    .filter(batch -> batch.getHostId().equals(hostId)).flatMap(batch -> batch.getSamples().stream())
                    .map(Sample::getValue).toList());
            List<InjectedAnomaly> fleetTruth = fleet.truth().stream().filter(anomaly -> anomaly.getHostId().equals(hostId)).toList();
            assertThat(fleetTruth).as("anomalies of %s", hostId).isNotEmpty();
            assertThat(truth).as("anomalies of %s", hostId).containsExactlyElementsOf(fleetTruth);
            assertThat(truthSeries).containsExactlyElementsOf(fleetTruth.stream().map(anomaly -> anomaly.getMetric() + anomaly.getLabels()).toList());
        }
    }
}
