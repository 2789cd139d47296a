package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.avro.Silence;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.runtime.security.http.HttpSecurity;
import dev.vigil.runtime.security.http.RouteAccess;
import dev.vigil.runtime.security.http.SecureHttpServer;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The silences API behind authentication, as the streams application serves it: the author is who authenticated. */
class SilenceApiAuthenticationTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final Topics topics = new Topics(AvroSerdes.on(new InMemorySchemaRegistryClient()));
    private final TreeMap<String, byte[]> topic = new TreeMap<>();
    private final String operator = Tokens.generate("alice-cli");
    private final String viewer = Tokens.generate("grafana");
    private SecureHttpServer server;
    private String base;

    @BeforeEach
    void serve() throws Exception {
        Path access = Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: alice-cli, principal: alice, roles: [operator], sha256: %s}
                  - {id: grafana, principal: grafana, roles: [viewer], sha256: %s}
                """.formatted(Tokens.sha256Hex(operator), Tokens.sha256Hex(viewer)));
        server = SecureHttpServer.create("127.0.0.1", 0, 8, HttpSecurity.none().withAccessFile(access), new SimpleMeterRegistry(), "test");
        server.route("/v1/silences", RouteAccess.readsOr(Role.OPERATOR), new SilenceApi(() -> new SilenceApiTest.MapStore(topic),
                topics.silences().valueSerde().deserializer(), silence -> topic.put(silence.getSilenceId(),
                        topics.silences().valueSerde().serializer().serialize(Topics.SILENCES.name(), silence)),
                Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry()));
        server.server().start();
        base = "http://127.0.0.1:" + server.server().getAddress().getPort() + "/v1/silences";
    }

    @AfterEach
    void stop() {
        server.server().stop(0);
    }

    @Test
    void shouldRecordThePrincipalAsTheAuthor() throws Exception {
        HttpResponse<String> created = post("", operator, "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"reason\": \"upgrade\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        String id = json(created).get("silenceId").asText();
        assertThat(stored(id).getAuthor()).isEqualTo("alice");
    }

    @Test
    void shouldRefuseABodyNamingAnotherAuthor() throws Exception {
        HttpResponse<String> refused = post("", operator,
                "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"author\": \"bob\", \"reason\": \"upgrade\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("field").asText()).isEqualTo("author");
        assertThat(topic).isEmpty();
    }

    @Test
    void shouldLetViewersReadButNotWrite() throws Exception {
        assertThat(post("", viewer, "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"reason\": \"r\"}").statusCode()).isEqualTo(403);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + viewer).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(post("", null, "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRecordThePrincipalAsWhoEndedIt() throws Exception {
        String id = json(post("", operator, "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"reason\": \"upgrade\"}")).get("silenceId").asText();

        HttpResponse<String> expired = post("/" + id + "/expire", operator, "{}");

        assertThat(expired.statusCode()).isEqualTo(200);
        assertThat(stored(id).getExpiredBy()).isEqualTo("alice");
    }

    private Silence stored(String id) {
        return topics.silences().valueSerde().deserializer().deserialize(Topics.SILENCES.name(), topic.get(id));
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return SilenceJson.JSON.readTree(response.body());
    }
}
