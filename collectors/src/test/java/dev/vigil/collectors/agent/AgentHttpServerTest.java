package dev.vigil.collectors.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.collectors.ingest.PushBuffer;
import dev.vigil.collectors.ingest.PushValidator;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.security.Tokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The agent's endpoint with an access file, from the agent's own settings: pushing needs publisher, reading viewer. */
class AgentHttpServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SAMPLE = "{\"samples\":[{\"name\":\"app.queue.depth\",\"value\":3}]}";

    @TempDir
    Path dir;

    private final String publisher = Tokens.generate("app");
    private final String viewer = Tokens.generate("prometheus");

    @Test
    void shouldLetOnlyPublishersPushAndViewersScrape() throws Exception {
        AgentConfig config = config(Map.of("http.access.file", accessFile().toString()));
        PushBuffer buffer = new PushBuffer(100);
        try (AgentHttpServer server = new AgentHttpServer(config.httpHost(), 0, config.httpSecurity(), new PushValidator(config.ingestLimits()),
                buffer, config.ingestLimits().maxRequestBytes(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new AgentHttpServer.Health(true, "ticking"))) {
            server.start();
            String base = "http://127.0.0.1:" + server.port();

            assertThat(push(base, null).statusCode()).isEqualTo(401);
            assertThat(push(base, viewer).statusCode()).isEqualTo(403);
            assertThat(push(base, publisher).statusCode()).isEqualTo(202);
            assertThat(buffer.size()).isEqualTo(1);
            assertThat(get(base + "/metrics", publisher).statusCode()).isEqualTo(403);
            HttpResponse<String> scrape = get(base + "/metrics", viewer);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("vigil_http_auth_refused_total{reason=\"missing_role\"} 2.0")
                    .contains("vigil_http_auth_refused_total{reason=\"missing_credentials\"} 1.0");
            assertThat(get(base + "/healthz", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseToServeEveryInterfaceWithoutAnAccessFile() {
        AgentConfig config = config(Map.of("http.host", "0.0.0.0"));

        assertThatThrownBy(() -> new AgentHttpServer(config.httpHost(), 0, config.httpSecurity(), new PushValidator(config.ingestLimits()),
                new PushBuffer(10), 1024, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> new AgentHttpServer.Health(true, "")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("collector agent would serve 0.0.0.0 without authentication");
    }

    @Test
    void shouldRefuseAnUnknownClientAuthSetting() {
        assertThatThrownBy(() -> config(Map.of("http.tls.client.auth", "maybe"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.tls.client.auth").hasMessageContaining("must be none, want or need");
    }

    private AgentConfig config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", "127.0.0.1:9", "schema.registry.url",
                "http://127.0.0.1:9", "host.id", "test-host", "spool.dir", dir.resolve("spool").toString()));
        values.putAll(overrides);
        return AgentConfig.from(ConfigSource.of(values));
    }

    private Path accessFile() throws Exception {
        return Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: app, principal: app, roles: [publisher], sha256: %s}
                  - {id: prometheus, principal: prometheus, roles: [viewer], sha256: %s}
                """.formatted(Tokens.sha256Hex(publisher), Tokens.sha256Hex(viewer)));
    }

    private static HttpResponse<String> push(String base, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/metrics")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SAMPLE));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
