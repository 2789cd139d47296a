package dev.vigil.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.runtime.security.Tokens;
import dev.vigil.runtime.security.http.HttpSecurity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The sink's and the remediation consumer's endpoint: {@code /metrics} behind the viewer role, {@code /healthz} open. */
class HealthMetricsServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void shouldAskAViewerTokenForMetricsButNotForHealth() throws Exception {
        String viewer = Tokens.generate("prometheus");
        Path access = Files.writeString(dir.resolve("access.yaml"), "tokens:\n  - {id: prometheus, principal: prometheus, roles: [viewer], sha256: "
                + Tokens.sha256Hex(viewer) + "}\n");
        try (HealthMetricsServer server = new HealthMetricsServer("127.0.0.1", 0, HttpSecurity.none().withAccessFile(access),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> null, "test")) {
            String base = "http://" + server.address();

            assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = get(base + "/metrics", viewer);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("vigil_http_auth_refused_total{reason=\"missing_credentials\"} 1.0");
            HttpResponse<String> health = get(base + "/healthz", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void shouldServeLoopbackWithoutAnAccessFileAsBefore() throws Exception {
        try (HealthMetricsServer server = new HealthMetricsServer("127.0.0.1", 0, HttpSecurity.none(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> "ClickHouse does not answer", "test")) {
            String base = "http://" + server.address();

            assertThat(get(base + "/metrics", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/healthz", null).statusCode()).isEqualTo(503);
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
