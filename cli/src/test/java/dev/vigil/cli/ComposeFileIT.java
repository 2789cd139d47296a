package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * compose/docker-compose.yml as Docker Compose reads it: {@code docker-compose config} (Debian's 1.29, which
 * {@code scripts/install-deps --tests} installs) validates the file here, where no engine runs it.
 */
class ComposeFileIT {

    private static final Path COMPOSE = Path.of("..", "compose", "docker-compose.yml");

    private static Result config(Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config").redirectErrorStream(true);
        builder.environment().remove("VIGIL_AUDIT_KEY");
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("docker-compose is needed to validate the compose file; scripts/install-deps --tests installs it", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exit, String output) {
    }

    @Test
    void shouldBeAValidComposeFileWithEveryServiceAndEveryImagePinned() throws Exception {
        Result result = config(Map.of("VIGIL_AUDIT_KEY", "0123456789abcdef0123456789abcdef"));

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(services(result.output())).containsExactlyInAnyOrder("kafka", "registry", "clickhouse", "access", "topics", "streams", "sink",
                "remediation", "console", "collector", "simulator", "prometheus", "grafana");
        Matcher images = Pattern.compile("(?m)^\\s+image: (\\S+)$").matcher(result.output());
        int count = 0;
        while (images.find()) {
            count++;
            assertThat(images.group(1)).as("image %s pinned to a version", images.group(1)).matches("[^:]+:v?[0-9][^:]*").doesNotEndWith(":latest");
        }
        assertThat(count).isEqualTo(13);
    }

    @Test
    void shouldRefuseToStartRemediationWithoutAnAuditKey() throws Exception {
        Result result = config(Map.of());

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("set VIGIL_AUDIT_KEY");
    }

    @Test
    void shouldScrapeEveryVigilServiceOnItsDefaultPortAndMountTheGrafanaProvisioning() throws IOException {
        String prometheus = Files.readString(Path.of("..", "compose", "prometheus.yml"));

        assertThat(prometheus).contains("streams:9465", "sink:9466", "remediation:9467", "console:9468", "collector:9464");
        assertThat(prometheus.split("scheme: https", -1)).as("every job over HTTPS").hasSize(6);
        assertThat(prometheus.split("credentials_file: /etc/vigil/access/prometheus.token", -1)).as("every job with the token").hasSize(6);
        assertThat(Path.of("..", "grafana", "provisioning", "datasources", "vigil.yaml")).exists();
        assertThat(Path.of("..", "grafana", "provisioning", "dashboards", "vigil.yaml")).exists();
        assertThat(Files.list(Path.of("..", "grafana", "dashboards")).filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(6);
    }

    private static List<String> services(String config) {
        TreeSet<String> names = new TreeSet<>();
        boolean inServices = false;
        for (String line : config.split("\n")) {
            if (line.equals("services:")) {
                inServices = true;
            } else if (!line.startsWith(" ")) {
                inServices = false;
            } else if (inServices && line.matches("  [a-z-]+:")) {
                names.add(line.strip().replace(":", ""));
            }
        }
        return List.copyOf(names);
    }
}
