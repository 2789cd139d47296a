package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.streams.alerts.AlertPolicy;

/** The dashboards count a sample as anomalous at the application's alert threshold, declared once per dashboard. */
class DashboardThresholdTest {

    private static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards");

    @Test
    void shouldDeclareTheAlertThresholdWhereverAQueryUsesIt() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(DASHBOARDS)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        int using = 0;
        for (Path file : files) {
            String text = Files.readString(file);
            if (!text.contains("${threshold}")) {
                assertThat(text).as("%s compares scores with a number instead of ${threshold}", file).doesNotContainPattern("score >= [0-9]");
                continue;
            }
            using++;
            JsonNode threshold = null;
            for (JsonNode variable : new ObjectMapper().readTree(text).path("templating").path("list")) {
                if ("threshold".equals(variable.path("name").asText())) {
                    threshold = variable;
                }
            }
            assertThat(threshold).as("%s declares the threshold variable", file).isNotNull();
            assertThat(threshold.path("type").asText()).isEqualTo("constant");
            assertThat(Double.parseDouble(threshold.path("query").asText())).as(file.toString())
                    .isEqualTo(AlertPolicy.DEFAULT.openThreshold());
        }
        assertThat(using).as("dashboards that count anomalous samples").isGreaterThanOrEqualTo(3);
    }
}
