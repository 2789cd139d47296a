package dev.vigil.gateway.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeConfigFileTest {

    @Test
    void shouldReadPrometheusScrapeConfigsWithTheirDefaults() {
        List<ScrapeJob> jobs = ScrapeConfigFile.parse("""
                global:
                  scrape_interval: 30s
                scrape_configs:
                  - job_name: node
                    scrape_interval: 15s
                    scrape_timeout: 5s
                    static_configs:
                      - targets: ['web-1:9100', 'web-2:9100']
                        labels: {env: prod}
                    file_sd_configs:
                      - files: ['/etc/vigil/targets/*.json']
                  - job_name: app
                    metrics_path: /prometheus
                    static_configs: [{targets: ['app:8080']}]
                """);

        assertThat(jobs).hasSize(2);
        ScrapeJob node = jobs.get(0);
        assertThat(node.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(node.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(node.staticTargets()).containsExactly(new TargetGroup(List.of("web-1:9100", "web-2:9100"), Map.of("env", "prod")));
        assertThat(node.fileDiscovery().get(0).refreshInterval()).isEqualTo(Duration.ofMinutes(5));
        ScrapeJob app = jobs.get(1);
        assertThat(app.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(app.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(app.metricsPath()).isEqualTo("/prometheus");
    }

    @Test
    void shouldFailNamingAnUnknownKeyOrABadDuration() {
        assertThatThrownBy(() -> ScrapeConfigFile.parse("scrape_configs: [{job_name: a, relabel_configs: []}]"))
                .hasMessageContaining("scrape_configs[0].relabel_configs: unknown key");
        assertThatThrownBy(() -> ScrapeConfigFile.parse("scrape_configs: [{job_name: a, scrape_interval: 15 seconds}]"))
                .hasMessageContaining("scrape_configs[0].scrape_interval: '15 seconds' is not a duration");
        assertThatThrownBy(() -> ScrapeConfigFile.parse("scrape_configs: [{job_name: a, scrape_interval: 5s, scrape_timeout: 10s}]"))
                .hasMessageContaining("longer than scrape_interval");
        assertThat(ScrapeConfigFile.duration("1m30s", "x", null)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void shouldReReadADiscoveryFileWhenItChangesAndKeepTheLastGoodGroupsWhenItBreaks(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("nodes.json");
        Files.writeString(file, "[{\"targets\": [\"web-1:9100\"], \"labels\": {\"rack\": \"a\"}}]");
        Files.writeString(dir.resolve("more.yml"), "- targets: [db-1:9100]\n");
        FileTargetDiscovery discovery = new FileTargetDiscovery(List.of(dir.resolve("*.json").toString(), dir.resolve("more.yml").toString()));
        assertThat(discovery.groups()).containsExactlyInAnyOrder(new TargetGroup(List.of("web-1:9100"), Map.of("rack", "a")),
                new TargetGroup(List.of("db-1:9100"), Map.of()));

        // when the file changes
        Files.writeString(file, "[{\"targets\": [\"web-1:9100\", \"web-3:9100\"]}]");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));

        // then
        assertThat(discovery.groups()).contains(new TargetGroup(List.of("web-1:9100", "web-3:9100"), Map.of()));

        // when it breaks, the last good groups stay
        Files.writeString(file, "[{\"targets\": ");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertThat(discovery.groups()).contains(new TargetGroup(List.of("web-1:9100", "web-3:9100"), Map.of()));

        // when it is deleted, its groups go
        Files.delete(file);
        assertThat(discovery.groups()).containsExactly(new TargetGroup(List.of("db-1:9100"), Map.of()));
    }
}
