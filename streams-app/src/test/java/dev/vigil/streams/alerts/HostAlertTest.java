package dev.vigil.streams.alerts;

import static dev.vigil.streams.alerts.HostAlert.Transition.NONE;
import static dev.vigil.streams.alerts.HostAlert.Transition.OPENED;
import static dev.vigil.streams.alerts.HostAlert.Transition.RESOLVED;
import static dev.vigil.streams.alerts.HostAlert.Transition.UPDATED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostAlertTest {

    private final AlertPolicy policy = AlertPolicy.DEFAULT;

    @Test
    void shouldOpenWhenEnoughSeriesAlertTogetherUpdateAsEvidenceChangesAndResolveWhenNoneDoes() {
        HostAlert alert = new HostAlert();

        assertThat(alert.observe(1_000, 2, 0.9, policy)).isEqualTo(NONE);
        assertThat(alert.observe(2_000, 3, 0.9, policy)).isEqualTo(OPENED);
        assertThat(alert.openedAt()).isEqualTo(2_000);
        assertThat(alert.observe(3_000, 3, 0.95, policy)).isEqualTo(NONE);
        assertThat(alert.observe(4_000, 5, 0.95, policy)).isEqualTo(UPDATED);
        assertThat(alert.peak()).isEqualTo(0.95);
        assertThat(alert.observe(5_000, 1, 0.9, policy)).as("open while any series is").isEqualTo(UPDATED);
        assertThat(alert.observe(6_000, 0, 0, policy)).isEqualTo(RESOLVED);
        assertThat(alert.isOpen()).isFalse();
        assertThat(alert.openedAt()).as("kept for the RESOLVED event's id").isEqualTo(2_000);
    }
}
