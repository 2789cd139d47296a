package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DevStatusViewTest {

    @Test
    void shouldWrapASummaryBetweenWordsSoThatItsReasonIsReadInFull() {
        String summary = "system.cpu.utilization{cpu=0, state=user} on sim-0007: stuck at 0.364 for 14 samples (longest run before: 3);"
                + " anomalous since 2026-11-21T12:03:10Z (5m00s) (peak 0.85)";

        List<String> lines = DevStatusView.wrap(summary, 100, 4);

        assertThat(lines).containsExactly(
                "system.cpu.utilization{cpu=0, state=user} on sim-0007: stuck at 0.364 for 14 samples (longest run",
                "before: 3); anomalous since 2026-11-21T12:03:10Z (5m00s) (peak 0.85)");
        assertThat(String.join(" ", lines)).isEqualTo(summary);
    }

    @Test
    void shouldEndACutSummaryWithAnEllipsisOnItsLastLine() {
        List<String> lines = DevStatusView.wrap("word ".repeat(100).strip(), 20, 2);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).endsWith(" ...").hasSizeLessThanOrEqualTo(20);
    }
}
