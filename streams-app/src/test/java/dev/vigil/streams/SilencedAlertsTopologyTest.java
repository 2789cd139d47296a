package dev.vigil.streams;

import static dev.vigil.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.Silence;
import dev.vigil.schemas.SilenceContract;

/** Alerts a silence covers leave the application marked with its id, and are still published; the others are untouched. */
class SilencedAlertsTopologyTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private TopologyFixture fixture() {
        return new TopologyFixture(TopologyFixture.REPLAY, stateDir.resolve("run-" + System.nanoTime()));
    }

    /** In force at the driver's wall clock (T0) for an hour either side. */
    static Silence silence(String id, List<String> hosts, Map<String, String> labels, String metric) {
        return Silence.newBuilder().setSilenceId(id).setHosts(hosts).setHostLabels(labels).setMetric(metric)
                .setStartsAt(T0.minus(Duration.ofHours(1))).setEndsAt(T0.plus(Duration.ofHours(1))).setAuthor("alice")
                .setReason("kernel upgrade").setCreatedAt(T0.minus(Duration.ofHours(1))).setExpiredBy(null).build();
    }

    /** A calm series with a spike at sample 400 of 500: one alert, OPENED then RESOLVED. */
    private static double[] spiked() {
        double[] values = TopologyFixture.wave(500, 10, 0.5);
        values[400] = 40;
        return values;
    }

    @Test
    void shouldMarkTheAlertsASilenceCoversAndStillPublishThem() {
        try (TopologyFixture topology = fixture()) {
            topology.silence(silence("s-web-01", List.of("web-01"), Map.of(), "lo.*"));

            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, spiked());
            topology.sendSeries("web-02", "load", T0, TEN_SECONDS, spiked());

            List<Alert> alerts = topology.alerts();
            assertThat(alerts).extracting(Alert::getHostId, Alert::getEvent, Alert::getSilencedBy).containsExactly(
                    tuple("web-01", AlertEvent.OPENED, "s-web-01"),
                    tuple("web-01", AlertEvent.RESOLVED, "s-web-01"),
                    tuple("web-02", AlertEvent.OPENED, null),
                    tuple("web-02", AlertEvent.RESOLVED, null));
            assertThat(topology.counter("vigil.streams.alerts", "event", "OPENED", "silenced", "true")).isEqualTo(1);
            assertThat(topology.counter("vigil.streams.alerts", "event", "OPENED", "silenced", "false")).isEqualTo(1);
        }
    }

    @Test
    void shouldMatchByHostLabelsAndMetricPattern() {
        try (TopologyFixture topology = fixture()) {
            topology.silence(silence("s-web-role", List.of(), Map.of("role", "web"), "disk\\..*"));

            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, spiked());
            topology.sendSeries("web-02", "disk.used", T0, TEN_SECONDS, spiked());

            assertThat(topology.alerts()).extracting(Alert::getHostId, Alert::getSilencedBy).containsExactly(
                    tuple("web-01", null), tuple("web-01", null),
                    tuple("web-02", "s-web-role"), tuple("web-02", "s-web-role"));
        }
    }

    @Test
    void shouldStopMarkingOnceTheSilenceIsExpiredEarly() {
        try (TopologyFixture topology = fixture()) {
            Silence silence = silence("s-1", List.of("web-01"), Map.of(), null);
            topology.silence(silence);
            double[] values = spiked();
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, Arrays.copyOf(values, 401));

            topology.silence(SilenceContract.expired(silence, "bob", T0));
            topology.sendSeries("web-01", "load", T0.plus(TEN_SECONDS.multipliedBy(401)), TEN_SECONDS, Arrays.copyOfRange(values, 401, 500));

            assertThat(topology.alerts()).extracting(Alert::getEvent, Alert::getSilencedBy).containsExactly(
                    tuple(AlertEvent.OPENED, "s-1"), tuple(AlertEvent.RESOLVED, null));
        }
    }

    @Test
    void shouldPickTheSilenceThatEndsLastWhenSeveralCoverAnAlert() {
        try (TopologyFixture topology = fixture()) {
            topology.silence(silence("s-short", List.of("web-01"), Map.of(), null));
            topology.silence(Silence.newBuilder(silence("s-long", List.of(), Map.of("role", "web"), null))
                    .setEndsAt(T0.plus(Duration.ofDays(1))).build());

            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, spiked());

            assertThat(topology.alerts()).extracting(Alert::getSilencedBy).containsOnly("s-long");
        }
    }

    @Test
    void shouldSilenceNothingWithARecordThatIsNotASilenceAndCountIt() {
        try (TopologyFixture topology = fixture()) {
            topology.sendRawSilence("s-junk", "not avro".getBytes(StandardCharsets.UTF_8));
            // Written by a foreign writer that skipped the contract: no author, and nothing to match.
            topology.silence(Silence.newBuilder(silence("s-nobody", List.of(), Map.of(), null)).setAuthor("").build());

            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, spiked());

            assertThat(topology.alerts()).hasSize(2).extracting(Alert::getSilencedBy).containsOnlyNulls();
            assertThat(topology.counter("vigil.streams.silences.invalid")).as("each version counted once").isEqualTo(2);
        }
    }

    @Test
    void shouldApplyASilenceOnlyWithinItsWindowOnTheApplicationsClock() {
        try (TopologyFixture topology = fixture()) {
            // Sample times are days after T0 here; the window is judged by the wall clock, which stays at T0 until moved.
            topology.silence(Silence.newBuilder(silence("s-later", List.of("web-01"), Map.of(), null))
                    .setStartsAt(T0.plus(Duration.ofMinutes(30))).build());
            double[] values = spiked();
            topology.sendSeries("web-01", "load", T0, TEN_SECONDS, Arrays.copyOf(values, 401));

            topology.advanceWallClock(Duration.ofMinutes(30));
            topology.sendSeries("web-01", "load", T0.plus(TEN_SECONDS.multipliedBy(401)), TEN_SECONDS, Arrays.copyOfRange(values, 401, 500));

            assertThat(topology.alerts()).filteredOn(alert -> alert.getHostId().equals("web-01") && alert.getMetric() != null)
                    .extracting(Alert::getEvent, Alert::getSilencedBy).containsExactly(
                            tuple(AlertEvent.OPENED, null),
                            tuple(AlertEvent.RESOLVED, "s-later"));
        }
    }
}
