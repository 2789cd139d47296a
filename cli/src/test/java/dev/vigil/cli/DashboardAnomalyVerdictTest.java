package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The dashboards count the samples the streams application marked anomalous (the {@code anomalous} column) and
 * never compare scores with a threshold of their own, so that changing {@code alerts.open.threshold} changes what
 * they show, with nothing to edit in them.
 */
class DashboardAnomalyVerdictTest {

    private static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards");

    @Test
    void shouldCountThePipelinesVerdictInsteadOfComparingScoresWithAThreshold() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(DASHBOARDS)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        int counting = 0;
        for (Path file : files) {
            String text = Files.readString(file);
            assertThat(text).as("%s compares scores with a threshold of its own", file)
                    .doesNotContainPattern("score\\s*(>=|>|<|<=)\\s*[0-9$]")
                    .doesNotContain("${threshold}");
            if (text.contains("anomalous = 1")) {
                counting++;
            }
        }
        assertThat(counting).as("dashboards that count anomalous samples").isGreaterThanOrEqualTo(3);
    }
}
