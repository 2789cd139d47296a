package dev.vigil.runtime.security.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;

import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.stack.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A real HTTPS server on loopback, keys from a test CA ({@link TestCertificates}): tokens (missing, wrong, expired, revoked once the file
 * changes), roles (403 and 200), client certificates (a listed subject admitted, another refused), the open
 * {@code /healthz} and the refusal to bind beyond loopback without an access file.
 */
class SecureHttpServerIT {

    @TempDir
    static Path keys;

    private static TestCertificates certificates;

    @TempDir
    Path dir;

    private final List<SecureHttpServer> servers = new ArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private final String operator = Tokens.generate("ops");
    private final String viewer = Tokens.generate("grafana");
    private final String expired = Tokens.generate("old");
    private final String publisher = Tokens.generate("app");

    @BeforeAll
    static void makeKeys() {
        certificates = TestCertificates.create(keys);
        certificates.clientKeyStore("collector-1");
        certificates.clientKeyStore("stranger");
    }

    @AfterEach
    void stop() {
        servers.forEach(server -> server.server().stop(0));
    }

    @Test
    void shouldAnswer401WithoutAToken() throws Exception {
        SecureHttpServer server = tlsServer();

        HttpResponse<String> response = get(client(null), server, "/metrics", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"vigil\"");
        assertThat(response.body()).contains("missing_credentials");
        assertThat(refused("missing_credentials")).isEqualTo(1);
    }

    @Test
    void shouldAnswer401ToAWrongOrMalformedToken() throws Exception {
        SecureHttpServer server = tlsServer();

        assertThat(get(client(null), server, "/metrics", Tokens.generate("grafana")).statusCode()).isEqualTo(401);
        assertThat(get(client(null), server, "/metrics", "hunter2").statusCode()).isEqualTo(401);
        assertThat(refused("unknown_token")).isEqualTo(1);
        assertThat(refused("malformed_credentials")).isEqualTo(1);
    }

    @Test
    void shouldAnswer401ToAnExpiredToken() throws Exception {
        SecureHttpServer server = tlsServer();

        assertThat(get(client(null), server, "/metrics", expired).statusCode()).isEqualTo(401);
        assertThat(refused("expired_token")).isEqualTo(1);
    }

    @Test
    void shouldRefuseATokenRevokedInTheFileWithoutARestart() throws Exception {
        SecureHttpServer server = tlsServer();
        assertThat(get(client(null), server, "/metrics", viewer).statusCode()).isEqualTo(200);

        Files.writeString(dir.resolve("access.yaml"), accessFile(true));
        Thread.sleep(300); // past the poll interval of 100 ms

        assertThat(get(client(null), server, "/metrics", viewer).statusCode()).isEqualTo(401);
        assertThat(refused("revoked_token")).isEqualTo(1);
    }

    @Test
    void shouldAnswer403WhenTheRoleIsMissingAnd200WhenItIsThere() throws Exception {
        SecureHttpServer server = tlsServer();
        HttpClient client = client(null);

        assertThat(post(client, server, "/v1/silences", viewer).statusCode()).isEqualTo(403);
        assertThat(post(client, server, "/v1/metrics", operator).statusCode()).as("operators do not publish").isEqualTo(403);
        HttpResponse<String> allowed = post(client, server, "/v1/silences", operator);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("alice");
        assertThat(get(client, server, "/v1/silences", operator).statusCode()).as("operator implies viewer").isEqualTo(200);
        assertThat(post(client, server, "/v1/metrics", publisher).statusCode()).isEqualTo(200);
        assertThat(refused("missing_role")).isEqualTo(2);
    }

    @Test
    void shouldAdmitAListedClientCertificateAndRefuseAnother() throws Exception {
        SecureHttpServer server = tlsServer();

        HttpResponse<String> listed = post(client("collector-1"), server, "/v1/metrics", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).isEqualTo("collector-1");
        assertThat(get(client("collector-1"), server, "/metrics", null).statusCode()).as("a publisher cannot read").isEqualTo(403);
        assertThat(post(client("stranger"), server, "/v1/metrics", null).statusCode()).isEqualTo(401);
        assertThat(refused("unknown_certificate")).isEqualTo(1);
    }

    @Test
    void shouldKeepHealthzOpenWithSecurityHeaders() throws Exception {
        SecureHttpServer server = tlsServer();

        HttpResponse<String> response = get(client(null), server, "/healthz", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Content-Security-Policy")).contains("frame-ancestors 'none'");
    }

    @Test
    void shouldRefuseToServeBeyondLoopbackWithoutAnAccessFile() {
        assertThatThrownBy(() -> SecureHttpServer.create("0.0.0.0", 0, 4, HttpSecurity.none(), metrics, "test service"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.host")
                .hasMessageContaining("without authentication; set http.access.file");
    }

    @Test
    void shouldServeLoopbackUnauthenticatedWithoutAnAccessFile() throws Exception {
        SecureHttpServer server = SecureHttpServer.create("127.0.0.1", 0, 4, HttpSecurity.none(), metrics, "test service");
        routes(server);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.server().getAddress().getPort() + "/v1/silences"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(server.authenticating()).isFalse();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("(anonymous)");
    }

    @Test
    void shouldRefuseToStartOnAnAccessFileWithAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "tokens:\n  - id: x\n    principal: x\n    roles: [superuser]\n");

        assertThatThrownBy(() -> SecureHttpServer.create("127.0.0.1", 0, 4, HttpSecurity.none().withAccessFile(file), metrics, "test"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(file + ":4: unknown role 'superuser'");
    }

    private SecureHttpServer tlsServer() throws IOException {
        Path access = Files.writeString(dir.resolve("access.yaml"), accessFile(false));
        HttpSecurity security = HttpSecurity.none().withAccessFile(access).withTls(certificates.serverKeyStore(), certificates.password(),
                HttpSecurity.ClientAuth.WANT, certificates.trustStore(), certificates.password());
        SecureHttpServer server = SecureHttpServer.create("127.0.0.1", 0, 8, security, metrics, "test service", Duration.ofMillis(100),
                Clock.systemUTC());
        routes(server);
        return server;
    }

    private void routes(SecureHttpServer server) {
        server.route("/healthz", RouteAccess.open(), exchange -> answer(exchange, "UP"));
        server.route("/metrics", RouteAccess.role(Role.VIEWER), exchange -> answer(exchange, "metrics"));
        server.route("/v1/silences", RouteAccess.readsOr(Role.OPERATOR), exchange -> answer(exchange, who(exchange)));
        server.route("/v1/metrics", RouteAccess.role(Role.PUBLISHER), exchange -> answer(exchange, who(exchange)));
        server.server().start();
        servers.add(server);
    }

    private static String who(HttpExchange exchange) {
        return SecureHttpServer.principal(exchange).map(principal -> principal.name()).orElse("(anonymous)");
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private String accessFile(boolean viewerRevoked) {
        return """
                users:
                  - name: alice
                    roles: [operator]
                tokens:
                  - {id: ops, principal: alice, roles: [operator], sha256: %s}
                  - {id: grafana, principal: grafana, roles: [viewer], sha256: %s, revoked: %s}
                  - {id: old, principal: grafana, roles: [viewer], sha256: %s, expires: 2020-01-01}
                  - {id: app, principal: app, roles: [publisher], sha256: %s}
                certificates:
                  - subject: "%s"
                    principal: collector-1
                    roles: [publisher]
                """.formatted(Tokens.sha256Hex(operator), Tokens.sha256Hex(viewer), viewerRevoked, Tokens.sha256Hex(expired),
                Tokens.sha256Hex(publisher), TestCertificates.subject("collector-1"));
    }

    private double refused(String reason) {
        return metrics.get("vigil.http.auth.refused").tag("reason", reason).counter().count();
    }

    private static HttpResponse<String> get(HttpClient client, SecureHttpServer server, String path, String token) throws Exception {
        return client.send(request(server, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, SecureHttpServer server, String path, String token) throws Exception {
        return client.send(request(server, path, token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(SecureHttpServer server, String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.server().getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(10));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** A client trusting the test CA, presenting {@code certificate}'s key if given. */
    private static HttpClient client(String certificate) {
        return HttpClient.newBuilder().sslContext(certificates.sslContext(certificate == null ? null : certificates.clientKeyStore(certificate)))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
