package dev.vigil.streams.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
