package dev.vigil.streams;

import static dev.vigil.streams.TopologyFixture.T0;
import static dev.vigil.streams.TopologyFixture.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.Severity;
import dev.vigil.streams.state.Fingerprints;

/** HOST_SILENT: a host that stops reporting for host.silence.after (5 minutes here) alerts, resolves when back, and not when retired. */
class HostSilenceTopologyTest {

    private static final Duration AFTER = Duration.ofMinutes(5);

    @TempDir
    Path stateDir;

    private TopologyFixture fixture() {
        return new TopologyFixture(TopologyFixture.REPLAY.withHostSilenceAfter(AFTER), stateDir.resolve("run-" + System.nanoTime()));
    }

    /** One batch of {@code host}; its sample time does not matter, the wall clock does. */
    private static void report(TopologyFixture topology, String host) {
        topology.send(host, T0, sample("load", 1));
    }

    private static List<Alert> silentAlerts(TopologyFixture topology) {
        return topology.alerts().stream().filter(alert -> alert.getKind() == AlertKind.HOST_SILENT).toList();
    }

    @Test
    void shouldOpenHostSilentOnceAHostHasNotReportedForTheSettingAndResolveWhenItReports() {
        try (TopologyFixture topology = fixture()) {
            report(topology, "web-01");
            topology.advanceWallClock(Duration.ofMinutes(4));
            report(topology, "web-02");
            topology.advanceWallClock(Duration.ofSeconds(59));
            assertThat(silentAlerts(topology)).as("4m59s without a report").isEmpty();

            topology.advanceWallClock(Duration.ofSeconds(1));
            List<Alert> opened = silentAlerts(topology);
            topology.advanceWallClock(Duration.ofMinutes(2));
            report(topology, "web-01");
            List<Alert> resolved = silentAlerts(topology);

            assertThat(opened).singleElement().satisfies(alert -> {
                assertThat(alert.getEvent()).isEqualTo(AlertEvent.OPENED);
                assertThat(alert.getHostId()).isEqualTo("web-01");
                assertThat(alert.getScope()).isEqualTo(AlertScope.HOST);
                assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
                assertThat(alert.getStartedAt()).isEqualTo(T0);
                assertThat(alert.getEventTime()).isEqualTo(T0.plus(AFTER));
                assertThat(alert.getFingerprint()).isEqualTo(Fingerprints.hostSilent("web-01"));
                assertThat(alert.getAlertId()).isEqualTo(Fingerprints.hostSilent("web-01") + "-" + T0.toEpochMilli());
                assertThat(alert.getHostLabels()).containsEntry("role", "web");
                assertThat(alert.getValue()).isEqualTo(300.0);
                assertThat(alert.getUpper()).isEqualTo(300.0);
                assertThat(alert.getSummary()).isEqualTo("web-01 has not reported since " + T0 + ": no report for 5m00s (host.silence.after 5m00s)");
                assertThat(alert.getLinks()).containsKey("host");
            });
            assertThat(resolved).singleElement().satisfies(alert -> {
                assertThat(alert.getEvent()).isEqualTo(AlertEvent.RESOLVED);
                assertThat(alert.getAlertId()).isEqualTo(opened.get(0).getAlertId());
                assertThat(alert.getResolvedAt()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
                assertThat(alert.getSummary()).isEqualTo("web-01: reports again after 7m00s without a report");
            });
            assertThat(topology.counter("vigil.streams.alerts", "kind", "HOST_SILENT", "event", "OPENED")).isEqualTo(1);
        }
    }

    @Test
    void shouldKeepASilentHostsAlertAliveWithHeartbeats() {
        try (TopologyFixture topology = fixture()) {
            report(topology, "web-01");
            topology.advanceWallClock(AFTER);
            for (int i = 0; i < 5; i++) {
                topology.advanceWallClock(Duration.ofMinutes(5)); // 25 more minutes: heartbeats every alerts.update.every (10m)
            }

            assertThat(silentAlerts(topology)).extracting(Alert::getEvent, Alert::getEventTime).containsExactly(
                    tuple(AlertEvent.OPENED, T0.plus(AFTER)),
                    tuple(AlertEvent.UPDATED, T0.plus(Duration.ofMinutes(15))),
                    tuple(AlertEvent.UPDATED, T0.plus(Duration.ofMinutes(25))));
        }
    }

    @Test
    void shouldRaiseNothingForARetiredHostAndResolveTheAlertOfAHostRetiredWhileSilent() {
        try (TopologyFixture topology = fixture()) {
            report(topology, "web-01");
            report(topology, "web-02");
            topology.retire("web-02", true, "alice", "decommissioned");
            topology.advanceWallClock(AFTER);
            List<Alert> first = silentAlerts(topology);

            topology.retire("web-01", true, "bob", "");
            topology.advanceWallClock(AFTER);
            List<Alert> afterRetiring = silentAlerts(topology);

            assertThat(first).extracting(Alert::getHostId, Alert::getEvent).containsExactly(tuple("web-01", AlertEvent.OPENED));
            assertThat(afterRetiring).singleElement().satisfies(alert -> {
                assertThat(alert.getHostId()).isEqualTo("web-01");
                assertThat(alert.getEvent()).isEqualTo(AlertEvent.RESOLVED);
                assertThat(alert.getSummary()).startsWith("web-01: retired by bob after 10m00s");
            });
        }
    }

    @Test
    void shouldWatchAReinstatedHostAgain() {
        try (TopologyFixture topology = fixture()) {
            topology.retire("web-01", true, "alice", "moved");
            report(topology, "web-01");
            topology.advanceWallClock(AFTER);
            assertThat(silentAlerts(topology)).isEmpty();

            topology.retire("web-01", false, "alice", "back in service");
            report(topology, "web-01");
            topology.advanceWallClock(AFTER);

            assertThat(silentAlerts(topology)).extracting(Alert::getHostId, Alert::getEvent).containsExactly(tuple("web-01", AlertEvent.OPENED));
        }
    }

    @Test
    void shouldMarkTheHostSilentAlertOfASilencedHost() {
        try (TopologyFixture topology = fixture()) {
            topology.silence(SilencedAlertsTopologyTest.silence("s-maintenance", List.of("web-01"), Map.of(), null));
            report(topology, "web-01");
            topology.advanceWallClock(AFTER);

            assertThat(silentAlerts(topology)).singleElement().satisfies(alert -> assertThat(alert.getSilencedBy()).isEqualTo("s-maintenance"));
        }
    }

    @Test
    void shouldCountSilenceFromTheApplicationsStartAfterARestartNotFromBeforeIt() {
        Map<Object, byte[]> reports;
        Map<Object, byte[]> index;
        try (TopologyFixture before = fixture()) {
            report(before, "web-01");
            reports = before.contents(ScoringTopology.HOST_REPORTS_STORE);
            index = before.contents(ScoringTopology.HOST_SILENCE_INDEX_STORE);
        }
        // Down for an hour: the host's batches of that hour, had there been any, would be read now.
        try (TopologyFixture after = new TopologyFixture(TopologyFixture.REPLAY.withHostSilenceAfter(AFTER),
                stateDir.resolve("restarted"), T0.plus(Duration.ofHours(1)))) {
            after.restore(ScoringTopology.HOST_REPORTS_STORE, reports);
            after.restore(ScoringTopology.HOST_SILENCE_INDEX_STORE, index);
            Duration started = Duration.ofHours(1).plusSeconds(30); // its first look at the hosts, 30 s after its start
            for (int step = 0; step < 10; step++) {
                after.advanceWallClock(Duration.ofSeconds(30));
            }
            assertThat(silentAlerts(after)).as("5 minutes after the start, 4m30s after its first look").isEmpty();

            after.advanceWallClock(Duration.ofSeconds(30));

            assertThat(silentAlerts(after)).singleElement().satisfies(alert -> {
                assertThat(alert.getEvent()).isEqualTo(AlertEvent.OPENED);
                assertThat(alert.getStartedAt()).isEqualTo(T0.plus(started));
                assertThat(alert.getEventTime()).isEqualTo(T0.plus(started).plus(AFTER));
            });
        }
    }

    @Test
    void shouldWatchNoHostWhenTheSettingIsZero() {
        try (TopologyFixture topology = new TopologyFixture(TopologyFixture.REPLAY.withHostSilenceAfter(Duration.ZERO),
                stateDir.resolve("off"))) {
            report(topology, "web-01");
            topology.advanceWallClock(Duration.ofDays(1));

            assertThat(silentAlerts(topology)).isEmpty();
            assertThat(topology.contents(ScoringTopology.HOST_REPORTS_STORE)).isEmpty();
        }
    }
}
