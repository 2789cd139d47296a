package dev.vigil.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.avro.MetricBatch;

/**
 * The client's HTTP behaviour (retries, errors, auth, caching, fail-over) against a scripted HTTP server.
 * Its talk with a real registry is covered by the integration tests against Apicurio.
 */
class RestSchemaRegistryClientTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldRetryThenFailWithAClearErrorWhenTheRegistryIsDown() {
        String url = "http://127.0.0.1:" + closedPort();
        var client = new RestSchemaRegistryClient(SchemaRegistryConfig.from(Map.of(
                "schema.registry.url", url, "schema.registry.max.retries", 3,
                "schema.registry.retry.backoff.ms", 10L, "schema.registry.retry.backoff.max.ms", 40L)));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.status()).isEqualTo(-1);
                })
                .hasMessageContaining("Schema registry unavailable")
                .hasMessageContaining("GET /schemas/ids/1 failed 4 time(s)")
                .hasMessageContaining(url)
                .hasMessageContaining("ConnectException");
    }

    @Test
    void shouldRetryServerErrorsAndSucceedWhenTheRegistryRecovers() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        serve(exchange -> {
            if (calls.incrementAndGet() <= 2) {
                reply(exchange, 503, "{\"error_code\":50301,\"message\":\"starting\"}");
            } else {
                reply(exchange, 200, "{\"id\":7}");
            }
        });
        var client = client(Map.of("schema.registry.retry.backoff.ms", 1L));

        int id = client.register("vigil.metrics-value", MetricBatch.getClassSchema());

        assertThat(id).isEqualTo(7);
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldNotRetryARefusalAndReportTheRegistrysErrorCode() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        serve(exchange -> {
            calls.incrementAndGet();
            reply(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}");
        });
        var client = client(Map.of());

        assertThatThrownBy(() -> client.schemaById(99))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.isRetriable()).isFalse();
                })
                .hasMessageContaining("HTTP 404 (error 40403): Schema 99 not found");
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldCacheSchemasByIdAndIdsBySchema() throws IOException {
        String schemaJson = MetricBatch.getClassSchema().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        serve(exchange -> reply(exchange, 200, exchange.getRequestMethod().equals("GET")
                ? "{\"schema\":\"" + schemaJson + "\"}" : "{\"id\":3}"));
        var client = client(Map.of());

        for (int i = 0; i < 5; i++) {
            assertThat(client.schemaById(3)).isEqualTo(MetricBatch.getClassSchema());
            assertThat(client.register("vigil.metrics-value", MetricBatch.getClassSchema())).isEqualTo(3);
        }

        assertThat(requests).containsExactly("GET /schemas/ids/3", "POST /subjects/vigil.metrics-value/versions");
    }

    @Test
    void shouldSendBasicAuthWithoutPuttingTheSecretInErrors() throws IOException {
        serve(exchange -> reply(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
        var client = client(Map.of("basic.auth.user.info", "vigil:s3cret"));

        assertThatThrownBy(() -> client.schemaById(1)).hasMessageNotContaining("s3cret");
        assertThat(authorizations).containsExactly("Basic dmlnaWw6czNjcmV0");
    }

    @Test
    void shouldTakeCredentialsFromTheUrlAndKeepThemOutOfMessages() throws IOException {
        serve(exchange -> reply(exchange, 500, "{}"));
        String url = "http://vigil:s3cret@127.0.0.1:" + server.getAddress().getPort();
        var client = new RestSchemaRegistryClient(SchemaRegistryConfig.from(Map.of("schema.registry.url", url,
                "basic.auth.credentials.source", "URL", "schema.registry.max.retries", 0)));

        assertThatThrownBy(() -> client.schemaById(1)).hasMessageNotContaining("s3cret");
        assertThat(authorizations).containsExactly("Basic dmlnaWw6czNjcmV0");
    }

    @Test
    void shouldFailOverToTheNextUrlWhenOneIsUnreachable() throws IOException {
        serve(exchange -> reply(exchange, 200, "{\"id\":11}"));
        String urls = "http://127.0.0.1:" + closedPort() + ",http://127.0.0.1:" + server.getAddress().getPort();
        var client = new RestSchemaRegistryClient(SchemaRegistryConfig.from(Map.of("schema.registry.url", urls,
                "schema.registry.retry.backoff.ms", 1L)));

        assertThat(client.register("s-value", MetricBatch.getClassSchema())).isEqualTo(11);
    }

    @Test
    void shouldTreatAMissingSubjectAsCompatibleWithAnything() throws IOException {
        serve(exchange -> reply(exchange, 404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"));

        assertThat(client(Map.of()).isCompatible("new-value", Schema.create(Schema.Type.STRING))).isTrue();
    }

    private RestSchemaRegistryClient client(Map<String, Object> extra) {
        var configs = new java.util.HashMap<String, Object>(extra);
        configs.put("schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort());
        return new RestSchemaRegistryClient(SchemaRegistryConfig.from(configs));
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void serve(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            exchange.getRequestBody().readAllBytes();
            handler.handle(exchange);
        });
        server.start();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
