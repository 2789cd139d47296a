package dev.vigil.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyReason;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.streams.alerts.AlertPolicy;
import dev.vigil.streams.alerts.SeriesAlert;

public class HostStateCodecTest {

    /**
     * Host web-01 as the build before reasons (layout version 2, commit 008f64b) stored it: one series "load" after 402
     * samples of a 10 +- 0.5 wave at 10 s steps from 2026-11-02T00:00Z, sample 400 a spike to 40 whose alert is open.
     * Lines of store, key and value in base64; the topology test restores all three stores from the same file.
     */
    public static final String STATE_BEFORE_REASONS = "/host-state-v2/web-01-alert-open.tsv";

    /**
     * Host db-01 as the build before predictions (layout version 3, commit 4bf71b5) stored it: the root filesystem's
     * utilization ({@code mountpoint=/}, a bounded metric) and a "load" series, 300 samples at 10 s from 2026-11-02T00:00Z,
     * the last at 0.5299 and 2 + sin(29.9).
     */
    static final String STATE_BEFORE_PREDICTIONS = "/host-state-v3/db-01-root-filesystem.tsv";

    private final HostStateCodec codec = new HostStateCodec(DetectorSettings.DEFAULT);
    private final DailyProfilePages noProfiles = new DailyProfilePages(DailyProfilePages.Source.EMPTY);

    @Test
    void shouldReadAStateWrittenBeforeReasonsExistedAsScoresWithoutAReason() throws IOException {
        byte[] stored = storedHost(STATE_BEFORE_REASONS, "web-01");

        HostState host = codec.decode(stored, noProfiles);

        assertThat(stored[0]).isEqualTo((byte) 2);
        SeriesState load = host.series(SeriesKey.of("load", Map.of()));
        assertThat(load.lastTimestamp()).isEqualTo(Instant.parse("2026-11-02T01:06:50Z").toEpochMilli());
        assertThat(load.lastValue()).isCloseTo(10.25, within(1e-9));
        assertThat(load.lastScore().reason()).isEqualTo(AnomalyReason.NONE);
        assertThat(load.alert().isOpen()).isTrue();
        assertThat(load.alert().peak()).isEqualTo(1.0);
        assertThat(load.peak()).as("the sample that opened it was not recorded then").isNull();
        assertThat(host.hostLabels()).containsEntry("role", "web");
    }

    @Test
    void shouldWriteAStateItReadInTheOldLayoutInTheNewOneWithNothingLost() throws IOException {
        HostState old = codec.decode(storedHost(STATE_BEFORE_REASONS, "web-01"), noProfiles);

        byte[] rewritten = codec.encode(old);
        HostState again = codec.decode(rewritten, noProfiles);

        assertThat(rewritten[0]).isEqualTo(HostStateCodec.VERSION);
        SeriesState before = old.series(SeriesKey.of("load", Map.of()));
        SeriesState after = again.series(SeriesKey.of("load", Map.of()));
        assertThat(after.lastScore()).isEqualTo(before.lastScore());
        assertThat(after.detector().coreToBytes()).isEqualTo(before.detector().coreToBytes());
        assertThat(after.alert().peak()).isEqualTo(before.alert().peak());
    }

    @Test
    void shouldReadAStateWrittenBeforePredictionsWithAFreshPredictionForTheBoundedSeries() throws IOException {
        byte[] stored = storedHost(STATE_BEFORE_PREDICTIONS, "db-01");

        HostState host = codec.decode(stored, noProfiles);

        assertThat(stored[0]).isEqualTo((byte) 3);
        SeriesState root = host.series(SeriesKey.of("system.filesystem.utilization", Map.of("mountpoint", "/")));
        assertThat(root.lastValue()).isCloseTo(0.5299, within(1e-9));
        assertThat(root.prediction()).as("a bounded metric").isNotNull();
        assertThat(root.prediction().forecaster().history()).as("starts afresh").isZero();
        assertThat(root.prediction().alert().isOpen()).isFalse();
        SeriesState load = host.series(SeriesKey.of("load", Map.of()));
        assertThat(load.prediction()).isNull();
        assertThat(load.lastValue()).isCloseTo(2 + Math.sin(29.9), within(1e-9));
        HostState again = codec.decode(codec.encode(host), noProfiles);
        assertThat(again.series(SeriesKey.of("load", Map.of())).detector().coreToBytes()).isEqualTo(load.detector().coreToBytes());
    }

    @Test
    void shouldKeepABoundedSeriesPredictionAndItsAlertAcrossAWriteAndRead() {
        HostState host = HostState.empty();
        SeriesState root = host.addSeries(SeriesKey.of("system.filesystem.utilization", Map.of("mountpoint", "/")), "root-fs",
                index -> new AnomalyDetector(DetectorSettings.DEFAULT));
        long t0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
        for (int m = 0; m < 3 * 24 * 60; m++) {
            double value = m < 2 * 24 * 60 ? 0.5 : 0.5 + 0.1 * (m - 2 * 24 * 60) / 60.0;
            root.prediction().forecaster().addMinute(t0 + m * 60_000L + 30_000, Math.min(1, value));
            root.prediction().alert().observe(t0 + (m + 1) * 60_000L, root.prediction().forecaster().estimate(1), Duration.ofHours(6),
                    Duration.ofMinutes(10));
        }

        HostState read = codec.decode(codec.encode(host), noProfiles);

        SeriesState readRoot = read.series(SeriesKey.of("system.filesystem.utilization", Map.of("mountpoint", "/")));
        assertThat(readRoot.prediction().forecaster().estimate(1)).isEqualTo(root.prediction().forecaster().estimate(1));
        assertThat(readRoot.prediction().alert().isOpen()).isEqualTo(root.prediction().alert().isOpen());
        assertThat(readRoot.prediction().alert().at()).isEqualTo(root.prediction().alert().at());
        assertThat(readRoot.prediction().alert().openedAt()).isEqualTo(root.prediction().alert().openedAt());
    }

    @Test
    void shouldKeepTheWholeStateOfABoundedSeriesWithinFourKibibytes() {
        // given a filesystem series with the labels the host agent sends, both rollup windows open, a score with a
        // reason and the sample behind an open alert
        HostState host = HostState.empty();
        int empty = codec.encode(host).length;
        SeriesState series = host.addSeries(SeriesKey.of("system.filesystem.utilization",
                Map.of("device", "/dev/nvme0n1p2", "mountpoint", "/var/lib/postgresql", "type", "ext4")), "0123456789abcdef",
                index -> new AnomalyDetector(DetectorSettings.DEFAULT));
        AnomalyScore score = new AnomalyScore(0.41, 0.3, 0.52, 0.85, false, AnomalyReason.OUT_OF_RANGE, 0.9, 0.3, 0.6, 6.5);
        series.recordScored(1_000, 0.9, score);
        series.observeAlert(AlertPolicy.DEFAULT);
        series.minute(WindowAccumulator.startingAt(0));
        series.hour(WindowAccumulator.startingAt(0));
        for (int i = 0; i < 20; i++) {
            series.minute().add(i);
            series.hour().add(i);
        }

        // when
        int inHostState = codec.encode(host).length - empty;
        int dailyProfile = AnomalyDetector.STATE_BYTES - AnomalyDetector.CORE_BYTES;

        // then
        assertThat(series.prediction()).isNotNull();
        assertThat(inHostState + dailyProfile).as("%d bytes in the host state + %d of daily profile", inHostState, dailyProfile)
                .isLessThanOrEqualTo(4096);
    }

    @ParameterizedTest
    @EnumSource(value = AnomalyReason.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void shouldKeepTheLastScoresReasonAndTheSampleBehindTheAlert(AnomalyReason reason) {
        HostState host = HostState.empty();
        SeriesState series = host.addSeries(SeriesKey.of("system.cpu.utilization", Map.of("cpu", "0")), "s-1",
                index -> new AnomalyDetector(DetectorSettings.DEFAULT));
        AnomalyScore opening = new AnomalyScore(0.41, 0.3, 0.52, 0.85, false, reason, 14, 0, 3, 6.5);
        series.recordScored(1_000, 0.364, opening);
        series.observeAlert(AlertPolicy.DEFAULT);
        AnomalyScore calm = new AnomalyScore(0.4, 0.3, 0.5, 0, false);
        series.recordScored(2_000, 0.41, calm);
        series.observeAlert(AlertPolicy.DEFAULT);

        HostState read = codec.decode(codec.encode(host), noProfiles);

        SeriesState readSeries = read.series(SeriesKey.of("system.cpu.utilization", Map.of("cpu", "0")));
        assertThat(readSeries.lastScore()).isEqualTo(calm);
        assertThat(readSeries.peak()).isEqualTo(new ScoredSample(1_000, 0.364, opening));
    }

    @Test
    void shouldRefuseAStateNamingAReasonThisBuildDoesNotKnow() {
        HostState host = HostState.empty();
        SeriesState series = host.addSeries(SeriesKey.of("m", Map.of()), "s-1", index -> new AnomalyDetector(DetectorSettings.DEFAULT));
        series.recordScored(1_000, 5, new AnomalyScore(1, 0, 2, 0.9, false, AnomalyReason.STUCK, 14, 0, 3, 2));
        byte[] bytes = codec.encode(host);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        byte[] renamed = text.replace("STUCK", "STALL").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> codec.decode(renamed, noProfiles)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anomaly reason this build does not know: 'STALL'");
    }

    @Test
    void shouldMoveThePeakSampleOnlyToAHigherScoreWithAReasonWhileTheAlertIsOpen() {
        SeriesState series = HostState.empty().addSeries(SeriesKey.of("m", Map.of()), "s-1",
                index -> new AnomalyDetector(DetectorSettings.DEFAULT));
        AnomalyScore opening = new AnomalyScore(1, 0, 2, 0.85, false, AnomalyReason.STUCK, 14, 0, 3, 2);
        AnomalyScore lower = new AnomalyScore(1, 0, 2, 0.6, false, AnomalyReason.LEVEL_SHIFT, 4, 0, 3, 2);
        AnomalyScore higher = new AnomalyScore(1, 0, 2, 0.95, false, AnomalyReason.OUT_OF_RANGE, 9, 0, 3, 2);

        series.recordScored(1_000, 5, opening);
        assertThat(series.observeAlert(AlertPolicy.DEFAULT)).isEqualTo(SeriesAlert.Transition.OPENED);
        series.recordScored(2_000, 5, lower);
        series.observeAlert(AlertPolicy.DEFAULT);
        assertThat(series.peak().score()).isEqualTo(opening);
        series.recordScored(3_000, 9, higher);
        series.observeAlert(AlertPolicy.DEFAULT);

        assertThat(series.peak()).isEqualTo(new ScoredSample(3_000, 9, higher));
        assertThat(series.peak().why()).isEqualTo("9 is above everything seen in 2 days (0 to 3)");
    }

    /** The value stored under {@code hostId} in the host-state store of a snapshot file. */
    static byte[] storedHost(String resource, String hostId) throws IOException {
        try (InputStream in = HostStateCodecTest.class.getResourceAsStream(resource)) {
            String key = Base64.getEncoder().encodeToString(hostId.getBytes(StandardCharsets.UTF_8));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(line -> line.split("\t", -1))
                    .filter(fields -> fields[0].equals("hosts") && fields[1].equals(key)).findFirst()
                    .map(fields -> Base64.getDecoder().decode(fields[2])).orElseThrow();
        }
    }
}
