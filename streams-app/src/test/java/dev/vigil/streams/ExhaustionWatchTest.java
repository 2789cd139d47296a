package dev.vigil.streams;

import static dev.vigil.streams.TopologyFixture.sample;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.Severity;
import dev.vigil.streams.state.Fingerprints;

/** PREDICTED alerts through the scoring topology: a filesystem that fills up, one that never has a limit to reach. */
class ExhaustionWatchTest {

    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Map<String, String> ROOT = Map.of("mountpoint", "/");
    /** After two and a half days: the daily cycle is known after two (it is learnt from the second day on). */
    private static final Instant LEAK = START.plus(Duration.ofHours(60));

    @TempDir
    Path stateDir;

    /** Root at 0.5 with a small daily swing, filling at 0.1 an hour from {@link #LEAK} until {@code leakStops}, then back. */
    private static double root(Instant time, Instant leakStops, SplittableRandom random) {
        double hoursOfDay = Duration.between(START, time).toMinutes() / 60.0;
        double base = 0.5 + 0.01 * Math.sin(2 * Math.PI * hoursOfDay / 24) + 0.0005 * random.nextGaussian();
        boolean leaking = !time.isBefore(LEAK) && time.isBefore(leakStops);
        return Math.min(1, base + (leaking ? 0.1 * Duration.between(LEAK, time).toMinutes() / 60.0 : 0));
    }

    @Test
    void shouldWarnThatTheRootFilesystemFillsUpBeforeItDoesAndResolveWhenTheLeakStops() {
        try (TopologyFixture topology = new TopologyFixture(TopologyFixture.REPLAY, stateDir)) {
            SplittableRandom random = new SplittableRandom(3);
            Instant leakStops = LEAK.plus(Duration.ofHours(2));
            Instant end = leakStops.plus(Duration.ofMinutes(30));
            for (Instant time = START; time.isBefore(end); time = time.plus(MINUTE)) {
                // open files against their limit too: a series bounded by another, flat, which must stay quiet
                topology.send("db-01", time, sample("system.filesystem.utilization", root(time, leakStops, random), "mountpoint", "/"),
                        sample("system.open_files.count", 2000 + 50 * random.nextGaussian()),
                        sample("system.open_files.limit", 65_536));
            }

            List<Alert> predicted = topology.alerts().stream().filter(alert -> alert.getKind() == AlertKind.PREDICTED).toList();

            assertThat(predicted).extracting(Alert::getEvent).startsWith(AlertEvent.OPENED).endsWith(AlertEvent.RESOLVED)
                    .filteredOn(event -> event == AlertEvent.OPENED).hasSize(1);
            Alert opened = predicted.get(0);
            String fingerprint = Fingerprints.exhaustion("db-01", "system.filesystem.utilization", ROOT);
            assertThat(opened.getFingerprint()).isEqualTo(fingerprint);
            assertThat(opened.getAlertId()).isEqualTo(fingerprint + "-" + opened.getStartedAt().toEpochMilli());
            assertThat(opened.getScope()).isEqualTo(AlertScope.SERIES);
            assertThat(opened.getMetric()).isEqualTo("system.filesystem.utilization");
            assertThat(opened.getLabels()).isEqualTo(ROOT);
            // the leak takes 0.5 to 1 in 5 h: within the 6 h horizon as soon as it is clearly a leak
            Duration openedAfter = Duration.between(LEAK, opened.getEventTime());
            assertThat(openedAfter).isBetween(Duration.ofMinutes(1), Duration.ofMinutes(30));
            Instant full = LEAK.plus(Duration.ofHours(5));
            assertThat(Duration.between(opened.getExhaustion().getAt(), full).abs()).as("first guess").isLessThan(Duration.ofMinutes(60));
            assertThat(opened.getExhaustion().getCeiling()).isEqualTo(1);
            assertThat(opened.getExhaustion().getEarliest()).isBefore(opened.getExhaustion().getAt());
            assertThat(opened.getExhaustion().getLatest()).isAfter(opened.getExhaustion().getAt());
            assertThat(opened.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(opened.getSummary()).matches("/ on db-01 full in about \\d+ h( \\d+ m)? \\(.+ to .+\\)");
            assertThat(opened.getReasonText()).matches("rising 0\\.\\d+ an hour, at 0\\.\\d+ of 1: full in about .+");
            assertThat(opened.getReason()).isNull();
            assertThat(opened.getPeakScore()).isZero();
            assertThat(opened.getEvidence()).singleElement().satisfies(e -> assertThat(e.getMetric()).isEqualTo("system.filesystem.utilization"));

            List<Alert> updates = predicted.stream().filter(alert -> alert.getEvent() == AlertEvent.UPDATED).toList();
            assertThat(updates).as("the estimate is restated as the leak goes on").isNotEmpty()
                    .allSatisfy(update -> assertThat(update.getAlertId()).isEqualTo(opened.getAlertId()));
            Alert lastUpdate = updates.get(updates.size() - 1);
            assertThat(Duration.between(lastUpdate.getExhaustion().getAt(), full).abs()).as("an hour and more into the leak")
                    .isLessThan(Duration.ofMinutes(10));
            Alert resolved = predicted.get(predicted.size() - 1);
            assertThat(Duration.between(leakStops, resolved.getEventTime())).isBetween(Duration.ZERO, Duration.ofMinutes(20));
            assertThat(resolved.getSummary()).isEqualTo("/ on db-01 is no longer expected to be full within 6 h");
            assertThat(resolved.getResolvedAt()).isEqualTo(resolved.getEventTime());

            assertThat(topology.alerts()).as("read once").isEmpty();
            assertThat(predicted).as("open files stay far from their limit").allSatisfy(alert ->
                    assertThat(alert.getMetric()).isEqualTo("system.filesystem.utilization"));
        }
    }

    @Test
    void shouldNeverPredictForASeriesWhoseLimitIsNotReported() {
        try (TopologyFixture topology = new TopologyFixture(TopologyFixture.REPLAY, stateDir)) {
            // open files rising fast towards nothing: the host does not report system.open_files.limit
            for (int m = 0; m < 3 * 24 * 60; m++) {
                topology.send("db-02", START.plus(MINUTE.multipliedBy(m)), sample("system.open_files.count", 1000 + m));
            }

            assertThat(topology.alerts()).noneMatch(alert -> alert.getKind() == AlertKind.PREDICTED);
        }
    }
}
