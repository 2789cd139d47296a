package dev.vigil.streams.alerts;

import static dev.vigil.streams.alerts.SeriesAlert.Transition.NONE;
import static dev.vigil.streams.alerts.SeriesAlert.Transition.OPENED;
import static dev.vigil.streams.alerts.SeriesAlert.Transition.RESOLVED;
import static dev.vigil.streams.alerts.SeriesAlert.Transition.UPDATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SeriesAlertTest {

    private static final long MINUTE = 60_000;
    private static final AlertPolicy POLICY = new AlertPolicy(0.8, 0.4, Duration.ZERO, Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofHours(1), 3, 3, 0.9, "http://grafana");

    /** Feeds one score per minute from minute {@code from} on and lists what each did. */
    private static List<SeriesAlert.Transition> feed(SeriesAlert alert, AlertPolicy policy, int from, double... scores) {
        List<SeriesAlert.Transition> transitions = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            transitions.add(alert.observe((from + i) * MINUTE, scores[i], policy));
        }
        return transitions;
    }

    @Test
    void shouldOpenOnAHighScoreAndResolveAfterResolveAfterOfCalm() {
        SeriesAlert alert = new SeriesAlert();

        List<SeriesAlert.Transition> transitions = feed(alert, POLICY, 1, 0.1, 0.95, 0, 0, 0, 0, 0, 0, 0);

        assertThat(transitions).containsExactly(NONE, OPENED, NONE, NONE, NONE, NONE, NONE, RESOLVED, NONE);
        assertThat(alert.openedAt()).isEqualTo(2 * MINUTE);
        assertThat(alert.peak()).isEqualTo(0.95);
        assertThat(alert.isOpen()).isFalse();
    }

    @Test
    void shouldStayOpenWhileScoresHoverBetweenTheThresholds() {
        SeriesAlert alert = new SeriesAlert();

        List<SeriesAlert.Transition> transitions = feed(alert, POLICY, 1, 0.9, 0.5, 0.3, 0.3, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3);

        assertThat(transitions.subList(0, 10)).containsOnly(OPENED, NONE).startsWith(OPENED);
        assertThat(transitions.get(10)).as("five calm minutes after the last 0.5").isEqualTo(RESOLVED);
    }

    @Test
    void shouldOpenOnlyAfterScoresStayHighForOpenAfter() {
        AlertPolicy patient = new AlertPolicy(0.8, 0.4, Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofHours(1), 3, 3, 0.9, "http://grafana");
        SeriesAlert alert = new SeriesAlert();

        List<SeriesAlert.Transition> transitions = feed(alert, patient, 1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9);

        assertThat(transitions).containsExactly(NONE, NONE, NONE, NONE, NONE, OPENED);
        assertThat(alert.openedAt()).as("the incident starts when the scores went high").isEqualTo(4 * MINUTE);
    }

    @Test
    void shouldUpdateWhenThePeakRisesAndAsAHeartbeat() {
        SeriesAlert alert = new SeriesAlert();
        double[] scores = new double[14];
        scores[0] = 0.85;
        scores[1] = 0.95; // a rise within the first minute waits for the minute to pass
        Arrays.fill(scores, 2, 14, 0.6); // keeps it open

        List<SeriesAlert.Transition> transitions = feed(alert, POLICY, 1, scores);

        assertThat(transitions.get(0)).isEqualTo(OPENED);
        assertThat(transitions.get(1)).isEqualTo(UPDATED);
        assertThat(transitions.subList(2, 11)).containsOnly(NONE);
        assertThat(transitions.get(11)).as("ten minutes after the last event").isEqualTo(UPDATED);
    }

    @Test
    void shouldHoldAFlappingSeriesOpenInsteadOfReopeningIt() {
        SeriesAlert alert = new SeriesAlert();
        List<SeriesAlert.Transition> all = new ArrayList<>();
        int minute = 0;
        for (int incident = 0; incident < 4; incident++) {
            all.addAll(feed(alert, POLICY, minute, 0.9, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            minute += 10;
        }

        assertThat(all.stream().filter(t -> t == OPENED)).as("opens before it counts as flapping").hasSize(3);
        assertThat(alert.isOpen()).isTrue();
        assertThat(alert.isFlapping(POLICY)).isTrue();

        List<SeriesAlert.Transition> calm = feed(alert, POLICY, minute, new double[61]);
        assertThat(calm).containsOnlyOnce(RESOLVED);
        // The last high score was at minute 30; calm from minute 31; this feed starts at minute 40.
        assertThat(calm.indexOf(RESOLVED) + 40).as("resolves after an hour of calm, not five minutes").isEqualTo(91);
    }

    @Test
    void shouldKeepAnAbsorbedAlertSilentToTheEnd() {
        SeriesAlert alert = new SeriesAlert();
        assertThat(alert.observe(MINUTE, 0.9, POLICY)).isEqualTo(OPENED);

        alert.absorb();

        assertThat(feed(alert, POLICY, 2, 0.95, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).containsOnly(NONE);
        assertThat(alert.isOpen()).isFalse();
    }

    @Test
    void shouldSurviveASerialisationRoundTrip() {
        SeriesAlert alert = new SeriesAlert();
        feed(alert, POLICY, 1, 0.9, 0.95, 0.3);
        ByteBuffer buffer = ByteBuffer.allocate(SeriesAlert.BYTES);
        alert.writeTo(buffer);

        SeriesAlert restored = SeriesAlert.readFrom(buffer.flip());

        assertThat(buffer.position()).isEqualTo(SeriesAlert.BYTES);
        assertThat(feed(restored, POLICY, 4, 0, 0, 0, 0, 0, 0)).isEqualTo(feed(alert, POLICY, 4, 0, 0, 0, 0, 0, 0));
        assertThat(restored.peak()).isEqualTo(0.95);
    }

    @Test
    void shouldRefuseAResolveThresholdAboveTheOpenThreshold() {
        assertThatThrownBy(() -> new AlertPolicy(0.5, 0.6, Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofHours(1), 3, 3, 0.9, "x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.resolve.threshold");
    }
}
