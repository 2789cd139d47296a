package dev.vigil.streams;

import static dev.vigil.streams.TopologyFixture.T0;
import static dev.vigil.streams.TopologyFixture.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.AnomalyReason;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.RollupResolution;
import dev.vigil.avro.Sample;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.avro.Severity;
import dev.vigil.schemas.Topics;
import dev.vigil.streams.alerts.AlertPolicy;
import dev.vigil.streams.state.Fingerprints;
import dev.vigil.streams.state.HostStateCodecTest;

class ScoringTopologyTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private TopologyFixture fixture() {
        return fixture(TopologyFixture.REPLAY);
    }

    private TopologyFixture fixture(TopologySettings settings) {
        return new TopologyFixture(settings, stateDir.resolve("run-" + System.nanoTime()));
    }

    @Test
    void shouldScoreEverySampleOfABatchUnderItsSeriesFingerprintInOneScoreBatch() {
        try (TopologyFixture topology = fixture()) {
            topology.send("web-01", T0, sample("system.cpu.utilization", 0.4, "state", "user"),
                    sample("system.memory.utilization", 0.7));

            List<ScoreBatch> batches = topology.scoreBatches();

            assertThat(batches).as("one record per metric batch").hasSize(1);
            assertThat(batches.get(0).getHostId()).isEqualTo("web-01");
            List<AnomalyScore> scores = batches.get(0).getScores();
            assertThat(scores).hasSize(2);
            assertThat(scores.get(0).getSeriesId())
                    .isEqualTo(Fingerprints.series("web-01", "system.cpu.utilization", Map.of("state", "user")));
            assertThat(scores.get(0).getLabels()).containsEntry("state", "user");
            assertThat(scores.get(0).getValue()).isEqualTo(0.4);
            assertThat(scores.get(0).getTimestamp()).isEqualTo(T0);
            assertThat(scores).allSatisfy(score -> {
                assertThat(score.getHostId()).isEqualTo("web-01");
                assertThat(score.getLearning()).isTrue();
                assertThat(score.getScore()).isZero();
            });
            assertThat(topology.counter("vigil.streams.samples.scored")).isEqualTo(2);
        }
    }

    @Test
    void shouldReportTheExpectedBandOnceTheSeriesIsLearnt() {
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, TopologyFixture.noise(400, 10, 0.5, 1));

            AnomalyScore last = topology.scores().get(399);

            assertThat(last.getLearning()).isFalse();
            assertThat(last.getExpected()).isBetween(9.5, 10.5);
            assertThat(last.getLower()).isLessThan(last.getExpected());
            assertThat(last.getUpper()).isGreaterThan(last.getExpected());
            assertThat(last.getValue()).isBetween(last.getLower(), last.getUpper());
        }
    }

    @Test
    void shouldSendUndecodableRecordsToTheDeadLetterTopicWithTheirBytesAndCarryOn() {
        try (TopologyFixture topology = fixture()) {
            byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            topology.sendRaw("web-01", garbage);
            topology.sendRaw("web-01", null);
            topology.send("web-01", T0, sample("load", 1));

            List<DeadLetter> dead = topology.deadLetters();

            assertThat(dead).extracting(DeadLetter::getReason).containsExactly("BAD_MAGIC_BYTE", "EMPTY");
            assertThat(dead.get(0).getSourceTopic()).isEqualTo("vigil.metrics");
            assertThat(dead.get(0).getSourceOffset()).isZero();
            assertThat(dead.get(0).getStage()).isEqualTo("streams");
            assertThat(dead.get(0).getValue().array()).isEqualTo(garbage);
            assertThat(dead.get(0).getKey().array()).isEqualTo("web-01".getBytes(StandardCharsets.UTF_8));
            assertThat(topology.scores()).hasSize(1);
            assertThat(topology.counter("vigil.streams.dead.letters", "reason", "BAD_MAGIC_BYTE")).isEqualTo(1);
        }
    }

    @Test
    void shouldDeadLetterInvalidSamplesNamingThemAndScoreTheRestOfTheBatch() {
        try (TopologyFixture topology = fixture()) {
            topology.send("web-01", T0, sample("load", 1), sample("load", Double.NaN, "core", "1"), sample("9bad", 2));

            List<DeadLetter> dead = topology.deadLetters();

            assertThat(topology.scores()).extracting(AnomalyScore::getMetric).containsExactly("load");
            assertThat(dead).singleElement().satisfies(letter -> {
                assertThat(letter.getReason()).isEqualTo("INVALID_SAMPLE");
                assertThat(letter.getMessage()).contains("2 of 3 samples of host web-01 refused")
                        .contains("sample 1 (load): value NaN is not finite")
                        .contains("sample 2 (9bad): name '9bad' is not a metric name");
            });
            assertThat(topology.counter("vigil.streams.samples.invalid")).isEqualTo(2);
        }
    }

    @Test
    void shouldRefuseABatchWhoseKeyIsNotItsHost() {
        try (TopologyFixture topology = fixture()) {
            MetricBatch batch = TopologyFixture.batch("web-01", T0, sample("load", 1));

            topology.send("web-02", batch);

            assertThat(topology.scores()).isEmpty();
            assertThat(topology.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getReason()).isEqualTo("KEY_MISMATCH");
                assertThat(letter.getMessage()).contains("record key 'web-02' is not the batch's hostId 'web-01'");
            });
        }
    }

    @Test
    void shouldRefuseSamplesStampedAheadOfTheClockWithoutLettingThemMoveTheSeries() {
        try (TopologyFixture topology = fixture(TopologySettings.DEFAULT)) { // the wall clock is at T0; max.clock.skew 5m
            topology.send("web-01", T0.plusSeconds(240), sample("load", 1));
            topology.send("web-01", T0.plus(Duration.ofHours(2)), sample("load", 2), sample("other", 3));
            topology.send("web-01", T0.plusSeconds(250), sample("load", 4)); // the host's clock put right

            assertThat(topology.scores()).extracting(AnomalyScore::getValue).containsExactly(1.0, 4.0);
            assertThat(topology.counter("vigil.streams.samples.clock.skew")).isEqualTo(2);
            assertThat(topology.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getReason()).isEqualTo("CLOCK_SKEW");
                assertThat(letter.getMessage()).contains("2 of 2 samples of host web-01 refused", "2 samples stamped up to PT2H ahead",
                        "max.clock.skew PT5M");
            });
        }
    }

    @Test
    void shouldCountAndSkipSamplesOlderThanTheirSeriesNewest() {
        try (TopologyFixture topology = fixture()) {
            topology.send("web-01", T0.plusSeconds(20), sample("load", 1));
            topology.send("web-01", T0.plusSeconds(10), sample("load", 2), sample("other", 3));
            topology.send("web-01", T0.plusSeconds(20), sample("load", 4));

            assertThat(topology.scores()).extracting(AnomalyScore::getValue).containsExactly(1.0, 3.0);
            assertThat(topology.counter("vigil.streams.samples.out.of.order")).isEqualTo(2);
            assertThat(topology.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldRefuseNewSeriesBeyondTheHostsLimit() {
        TopologySettings settings = new TopologySettings(TopologySettings.DEFAULT.alerts(), TopologySettings.DEFAULT.prediction(),
                Duration.ofSeconds(30), Duration.ofMinutes(15), 2, Duration.ofSeconds(5), Duration.ofDays(365), Duration.ofMinutes(5));
        try (TopologyFixture topology = fixture(settings)) {
            topology.send("web-01", T0, sample("a", 1), sample("b", 1), sample("c", 1));
            topology.send("web-01", T0.plusSeconds(10), sample("a", 1), sample("c", 1));

            assertThat(topology.scores()).extracting(AnomalyScore::getMetric).containsExactly("a", "b", "a");
            assertThat(topology.deadLetters()).extracting(DeadLetter::getReason).containsExactly("TOO_MANY_SERIES", "TOO_MANY_SERIES");
            assertThat(topology.counter("vigil.streams.series.refused")).isEqualTo(2);
        }
    }

    @Test
    void shouldDeadLetterEachKindOfRefusalUnderItsOwnReasonWithTheWholeBatch() {
        // One series per host at most, max.clock.skew 5 minutes, the wall clock at T0.
        TopologySettings settings = new TopologySettings(TopologySettings.DEFAULT.alerts(), TopologySettings.DEFAULT.prediction(),
                Duration.ofSeconds(30), Duration.ofMinutes(15), 1, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(5));
        try (TopologyFixture topology = fixture(settings)) {
            Sample twoHoursAhead = Sample.newBuilder(sample("load", 2)).setObservedAt(T0.plus(Duration.ofHours(2))).build();
            // A refused series and a skewed sample, but no invalid one: this was labelled INVALID_SAMPLE once.
            byte[] refusedAndSkewed = bytesOf(topology, TopologyFixture.batch("web-01", T0, sample("load", 1), sample("other", 1),
                    twoHoursAhead));
            byte[] allThree = bytesOf(topology, TopologyFixture.batch("web-01", T0.plusSeconds(10), sample("load", 1),
                    sample("other", 1), twoHoursAhead, sample("9bad", 1)));

            topology.sendRaw("web-01", refusedAndSkewed);
            topology.sendRaw("web-01", allThree);

            List<DeadLetter> dead = topology.deadLetters();
            assertThat(dead).extracting(DeadLetter::getReason)
                    .containsExactly("TOO_MANY_SERIES", "CLOCK_SKEW", "INVALID_SAMPLE", "TOO_MANY_SERIES", "CLOCK_SKEW");
            assertThat(dead.subList(0, 2)).allSatisfy(letter -> assertThat(letter.getValue().array()).isEqualTo(refusedAndSkewed));
            assertThat(dead.subList(2, 5)).allSatisfy(letter -> assertThat(letter.getValue().array()).isEqualTo(allThree));
            assertThat(dead.get(0).getMessage()).contains("1 of 3 samples of host web-01 refused", "max.series.per.host");
            assertThat(dead.get(1).getMessage()).contains("1 of 3 samples of host web-01 refused", "ahead of this application's clock");
            assertThat(dead.get(2).getMessage()).contains("1 of 4 samples of host web-01 refused", "sample 3 (9bad)");
            assertThat(dead.get(3).getMessage()).doesNotContain("9bad");
            assertThat(dead.get(4).getMessage()).doesNotContain("9bad");
            assertThat(topology.scores()).extracting(AnomalyScore::getValue).containsExactly(1.0, 1.0);
            assertThat(topology.counter("vigil.streams.dead.letters", "reason", "TOO_MANY_SERIES")).isEqualTo(2);
            assertThat(topology.counter("vigil.streams.dead.letters", "reason", "CLOCK_SKEW")).isEqualTo(2);
            assertThat(topology.counter("vigil.streams.dead.letters", "reason", "INVALID_SAMPLE")).isEqualTo(1);
        }
    }

    private static byte[] bytesOf(TopologyFixture topology, MetricBatch batch) {
        return topology.topics.metrics().valueSerde().serializer().serialize(Topics.METRICS.name(), batch);
    }

    @Test
    void shouldEmitAMinuteRollupOnceWhenTheSeriesMovesIntoTheNextWindow() {
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, 3, 1, 4, 1, 5, 9);
            assertThat(topology.rollups()).isEmpty();

            topology.send("web-01", T0.plusSeconds(60), sample("load", 2));

            Rollup minute = topology.rollups().get(0);
            assertThat(minute.getResolution()).isEqualTo(RollupResolution.MINUTE);
            assertThat(minute.getWindowStart()).isEqualTo(T0);
            assertThat(minute.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
            assertThat(minute.getCount()).isEqualTo(6);
            assertThat(minute.getMin()).isEqualTo(1);
            assertThat(minute.getMax()).isEqualTo(9);
            assertThat(minute.getMean()).isEqualTo(23 / 6.0);
            assertThat(minute.getLast()).isEqualTo(9);
            assertThat(minute.getP95()).isEqualTo(9);
            assertThat(topology.rollups()).isEmpty();
        }
    }

    @Test
    void shouldEmitAnHourRollupWhenTheHourTurns() {
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, Duration.ofMinutes(1), new double[61]);

            List<Rollup> hours = topology.rollups().stream().filter(r -> r.getResolution() == RollupResolution.HOUR).toList();

            assertThat(hours).singleElement().satisfies(hour -> {
                assertThat(hour.getWindowStart()).isEqualTo(T0);
                assertThat(hour.getCount()).isEqualTo(60);
            });
        }
    }

    @Test
    void shouldCloseASilentSeriesWindowAfterTheGraceAndLeaveLateSamplesOutOfRollups() {
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, 1, 2, 3, 4, 5, 6);
            topology.sendSeries("web-02", "load", T0.plusSeconds(60), TEN_SECONDS, 1, 1, 1);
            topology.advanceWallClock(Duration.ofSeconds(5));
            assertThat(topology.rollups()).as("00:01:20 is inside web-01's grace (00:01:00 + 30 s)").isEmpty();

            topology.sendSeries("web-02", "load", T0.plusSeconds(90), TEN_SECONDS, 1, 1);
            topology.advanceWallClock(Duration.ofSeconds(5));
            List<Rollup> closed = topology.rollups();
            assertThat(closed).singleElement().satisfies(rollup -> {
                assertThat(rollup.getHostId()).isEqualTo("web-01");
                assertThat(rollup.getCount()).isEqualTo(6);
            });

            topology.send("web-03", T0.plusSeconds(30), sample("load", 7));
            topology.advanceWallClock(Duration.ofSeconds(5));

            assertThat(topology.counter("vigil.streams.samples.late")).isEqualTo(1);
            assertThat(topology.scores()).filteredOn(score -> score.getHostId().equals("web-03")).hasSize(1);
            assertThat(topology.rollups()).isEmpty();
        }
    }

    @Test
    void shouldIssueAForecastPerSeriesWhenItsMinuteCloses() {
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, TopologyFixture.noise(200, 10, 0.5, 2));

            List<Forecast> forecasts = topology.forecasts();

            assertThat(forecasts).hasSize(33); // 200 samples span 33 whole minutes; the 34th is still open
            Forecast last = forecasts.get(forecasts.size() - 1);
            assertThat(last.getTargetTime()).isEqualTo(last.getIssuedAt().plus(Duration.ofMinutes(15)));
            assertThat(last.getExpected()).isBetween(9.5, 10.5);
            assertThat(last.getLower()).isLessThan(last.getExpected());
            assertThat(last.getUpper()).isGreaterThan(last.getExpected());
        }
    }

    @Test
    void shouldOpenAnAlertOnASpikeAndResolveItOnceTheSeriesIsCalmForResolveAfter() {
        try (TopologyFixture topology = fixture()) {
            double[] values = TopologyFixture.wave(500, 10, 0.5);
            values[400] = 40;
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, values);
            Instant spike = T0.plus(TEN_SECONDS.multipliedBy(400));

            List<Alert> alerts = topology.alerts();

            assertThat(alerts).extracting(Alert::getEvent).containsExactly(AlertEvent.OPENED, AlertEvent.RESOLVED);
            Alert opened = alerts.get(0);
            assertThat(opened.getScope()).isEqualTo(AlertScope.SERIES);
            assertThat(opened.getSeverity()).isEqualTo(opened.getPeakScore() >= 0.9 ? Severity.CRITICAL : Severity.WARNING);
            assertThat(opened.getEventTime()).isEqualTo(spike);
            assertThat(opened.getStartedAt()).isEqualTo(spike);
            assertThat(opened.getValue()).isEqualTo(40);
            assertThat(opened.getExpected()).isBetween(9.5, 10.5);
            assertThat(opened.getPeakScore()).isGreaterThanOrEqualTo(0.5);
            assertThat(opened.getFingerprint()).isEqualTo(Fingerprints.series("web-01", "load", Map.of()));
            assertThat(opened.getAlertId()).isEqualTo(opened.getFingerprint() + "-" + spike.toEpochMilli());
            assertThat(opened.getEvidence()).singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo(40));
            assertThat(opened.getHostLabels()).containsEntry("role", "web");
            assertThat(opened.getLinks().get("metric")).contains("var-host=web-01").contains("var-metric=load");
            assertThat(opened.getReason()).isEqualTo(AnomalyReason.OUT_OF_RANGE);
            assertThat(opened.getReasonObserved()).isEqualTo(40);
            assertThat(opened.getReasonUsualLow()).isCloseTo(9.5, within(1e-9));
            assertThat(opened.getReasonUsualHigh()).isCloseTo(10.5, within(1e-9));
            assertThat(opened.getReasonText()).isEqualTo("40 is above everything seen in 1 hour (9.5 to 10.5)");
            assertThat(opened.getSummary()).isEqualTo("load on web-01: 40 is above everything seen in 1 hour (9.5 to 10.5);"
                    + " anomalous since 2026-11-02T01:06:40Z (0s)");
            assertThat(opened.getEvidence()).singleElement().satisfies(e -> {
                assertThat(e.getReason()).isEqualTo(AnomalyReason.OUT_OF_RANGE);
                assertThat(e.getReasonText()).isEqualTo(opened.getReasonText());
            });
            Alert resolved = alerts.get(1);
            assertThat(resolved.getAlertId()).isEqualTo(opened.getAlertId());
            assertThat(Duration.between(spike, resolved.getResolvedAt())).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
            assertThat(resolved.getLastScore()).as("calm again").isZero();
            assertThat(resolved.getReasonText()).as("still why it opened").isEqualTo(opened.getReasonText());
            assertThat(resolved.getSummary()).startsWith("load on web-01: 40 is above everything seen in 1 hour (9.5 to 10.5);")
                    .endsWith(", resolved");
            assertThat(topology.counter("vigil.streams.alerts", "event", "OPENED", "scope", "SERIES")).isEqualTo(1);
            List<AnomalyScore> scores = topology.scores();
            assertThat(scores).as("a score is marked anomalous exactly when it counts towards an alert").hasSize(500)
                    .allSatisfy(score -> assertThat(score.getAnomalous()).isEqualTo(score.getScore() >= AlertPolicy.DEFAULT.openThreshold()));
            assertThat(scores).filteredOn(AnomalyScore::getAnomalous).extracting(AnomalyScore::getValue).contains(40.0);
        }
    }

    @Test
    void shouldGroupManySeriesOfOneHostGoingAnomalousTogetherIntoOneHostAlert() {
        try (TopologyFixture topology = fixture()) {
            double[][] series = new double[4][];
            for (int s = 0; s < 4; s++) {
                series[s] = TopologyFixture.wave(500, 10 * (s + 1), 0.5);
                series[s][400] = 100 * (s + 1);
            }
            for (int i = 0; i < 500; i++) {
                topology.send("db-01", T0.plus(TEN_SECONDS.multipliedBy(i)), sample("m0", series[0][i]), sample("m1", series[1][i]),
                        sample("m2", series[2][i]), sample("m3", series[3][i]));
            }

            List<Alert> alerts = topology.alerts();

            assertThat(alerts).extracting(Alert::getScope).containsOnly(AlertScope.HOST);
            assertThat(alerts).extracting(Alert::getEvent).containsExactly(AlertEvent.OPENED, AlertEvent.RESOLVED);
            Alert opened = alerts.get(0);
            assertThat(opened.getMetric()).isNull();
            assertThat(opened.getFingerprint()).isEqualTo(Fingerprints.host("db-01"));
            assertThat(opened.getEvidence()).extracting(e -> e.getMetric()).containsExactlyInAnyOrder("m0", "m1", "m2", "m3");
            String why = "m0: 100 is above everything seen in 1 hour (9.5 to 10.5); m1: 200 is above everything seen in 1 hour"
                    + " (19.5 to 20.5); m2: 300 is above everything seen in 1 hour (29.5 to 30.5); m3: 400 is above everything seen"
                    + " in 1 hour (39.5 to 40.5)";
            assertThat(opened.getSummary()).isEqualTo("4 series of db-01 anomalous together since 2026-11-02T01:06:40Z (0s): " + why);
            assertThat(opened.getReasonText()).isEqualTo(why);
            assertThat(opened.getReason()).isEqualTo(AnomalyReason.OUT_OF_RANGE);
            assertThat(opened.getEvidence()).extracting(e -> e.getReasonText()).containsExactly(
                    "100 is above everything seen in 1 hour (9.5 to 10.5)", "200 is above everything seen in 1 hour (19.5 to 20.5)",
                    "300 is above everything seen in 1 hour (29.5 to 30.5)", "400 is above everything seen in 1 hour (39.5 to 40.5)");
        }
    }

    @Test
    void shouldSayASeriesIsStuckAndForHowLongInTheScoreAndTheAlert() {
        try (TopologyFixture topology = fixture()) {
            double[] values = Arrays.copyOf(TopologyFixture.noise(300, 10, 0.5, 7), 340);
            Arrays.fill(values, 300, 340, 10.364);
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, values);

            List<AnomalyScore> scores = topology.scores();
            List<Alert> alerts = topology.alerts();

            AnomalyScore stuck = scores.stream().filter(score -> score.getReason() == AnomalyReason.STUCK).findFirst().orElseThrow();
            assertThat(stuck.getValue()).isEqualTo(10.364);
            assertThat(stuck.getReasonObserved()).isGreaterThan(stuck.getReasonUsualHigh());
            assertThat(stuck.getReasonUsualLow()).isZero();
            assertThat(stuck.getReasonBasisDays()).isCloseTo(stuck.getTimestamp().minusMillis(T0.toEpochMilli()).toEpochMilli() / 86_400_000.0,
                    within(1e-9));
            Alert opened = alerts.get(0);
            assertThat(opened.getEvent()).isEqualTo(AlertEvent.OPENED);
            assertThat(opened.getReason()).isEqualTo(AnomalyReason.STUCK);
            assertThat(opened.getReasonText()).isEqualTo("stuck at 10.364 for %d samples (longest run before: %d)".formatted(
                    Math.round(stuck.getReasonObserved()), Math.round(stuck.getReasonUsualHigh())));
            assertThat(opened.getSummary()).startsWith("load on web-01: stuck at 10.364 for ");
        }
    }

    @Test
    void shouldLeaveTheReasonOutOfScoresThatFoundNothing() {
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, TopologyFixture.wave(300, 10, 0.5));

            List<AnomalyScore> scores = topology.scores();

            assertThat(scores).filteredOn(score -> score.getScore() == 0).hasSizeGreaterThanOrEqualTo(150).allSatisfy(score -> {
                assertThat(score.getReason()).isNull();
                assertThat(score.getReasonObserved()).isNull();
                assertThat(score.getReasonUsualLow()).isNull();
                assertThat(score.getReasonUsualHigh()).isNull();
                assertThat(score.getReasonBasisDays()).isNull();
            });
            assertThat(scores).filteredOn(score -> score.getScore() > 0).allSatisfy(score -> assertThat(score.getReason()).isNotNull());
        }
    }

    @Test
    void shouldCarryOnFromAStateWrittenBeforeReasonsExistedAndSayTheReasonWasNotRecorded() throws Exception {
        double[] values = TopologyFixture.wave(500, 10, 0.5);
        values[400] = 40;
        List<AnomalyScore> uninterrupted;
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, values);
            uninterrupted = topology.scores().subList(402, 500);
        }

        try (TopologyFixture upgraded = fixture()) {
            upgraded.restore(TopologyFixture.snapshotFrom(HostStateCodecTest.STATE_BEFORE_REASONS));
            upgraded.sendSeries("web-01", "load", T0.plus(TEN_SECONDS.multipliedBy(402)), TEN_SECONDS, Arrays.copyOfRange(values, 402, 500));

            assertThat(upgraded.counter("vigil.streams.state.unreadable")).isZero();
            // The old build's detector state (version 4) loads: the series is not learning afresh, and its forecast
            // follows the wave it learned (the new detector's own exceedance statistics start from scratch).
            assertThat(upgraded.scores()).as("the detector carries on where the old build left it").hasSameSizeAs(uninterrupted)
                    .allSatisfy(score -> {
                        assertThat(score.getLearning()).isFalse();
                        assertThat(score.getExpected()).isBetween(5.0, 20.0);
                    });
            assertThat(upgraded.alerts()).singleElement().satisfies(resolved -> {
                assertThat(resolved.getEvent()).isEqualTo(AlertEvent.RESOLVED);
                assertThat(resolved.getAlertId()).isEqualTo(Fingerprints.series("web-01", "load", Map.of()) + "-"
                        + T0.plus(TEN_SECONDS.multipliedBy(400)).toEpochMilli());
                assertThat(resolved.getReason()).isNull();
                assertThat(resolved.getReasonText()).isEmpty();
                assertThat(resolved.getSummary()).startsWith("load on web-01: peak score 1; its reason was not recorded");
            });
        }
    }

    @Test
    void shouldCarryOnFromRestoredStateExactlyAsIfNeverStopped() {
        double[] values = TopologyFixture.noise(600, 10, 0.5, 4);
        values[450] = 40;
        Outputs uninterrupted = new Outputs();
        try (TopologyFixture topology = fixture()) {
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, values);
            uninterrupted.collect(topology);
        }

        Outputs restarted = new Outputs();
        TopologyFixture.StoreSnapshot state;
        try (TopologyFixture before = fixture()) {
            before.sendSeries("web-01", "load", T0, TEN_SECONDS, Arrays.copyOf(values, 300));
            restarted.collect(before);
            state = before.snapshot();
        }
        try (TopologyFixture after = fixture()) {
            after.restore(state);
            after.sendSeries("web-01", "load", T0.plus(TEN_SECONDS.multipliedBy(300)), TEN_SECONDS, Arrays.copyOfRange(values, 300, 600));
            restarted.collect(after);
        }

        assertThat(uninterrupted.alerts).isNotEmpty();
        assertThat(restarted.scores).isEqualTo(uninterrupted.scores);
        assertThat(restarted.rollups).isEqualTo(uninterrupted.rollups);
        assertThat(restarted.forecasts).isEqualTo(uninterrupted.forecasts);
        assertThat(restarted.alerts).isEqualTo(uninterrupted.alerts);
    }

    /** Everything a run emitted, by topic. */
    private static final class Outputs {
        final List<AnomalyScore> scores = new ArrayList<>();
        final List<Rollup> rollups = new ArrayList<>();
        final List<Forecast> forecasts = new ArrayList<>();
        final List<Alert> alerts = new ArrayList<>();

        void collect(TopologyFixture topology) {
            scores.addAll(topology.scores());
            rollups.addAll(topology.rollups());
            forecasts.addAll(topology.forecasts());
            alerts.addAll(topology.alerts());
        }
    }
}
