package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.avro.Silence;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The silences API over loopback HTTP, with the topic and its global store played by a map. */
class SilenceApiTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Topics topics = new Topics(AvroSerdes.on(new InMemorySchemaRegistryClient()));
    /** What vigil.silences holds, and so the global store: id -> the record's bytes. */
    private final TreeMap<String, byte[]> topic = new TreeMap<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/v1/silences", new SilenceApi(() -> new MapStore(topic), topics.silences().valueSerde().deserializer(),
                silence -> topic.put(silence.getSilenceId(), topics.silences().valueSerde().serializer().serialize(Topics.SILENCES.name(),
                        silence)), Clock.fixed(NOW, ZoneOffset.UTC), metrics));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/silences";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return SilenceJson.JSON.readTree(response.body());
    }

    private double refused() {
        Counter counter = metrics.find("vigil.streams.silence.requests").tag("outcome", "refused").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldCreateASilenceOnTheTopicAndAnswerWithIt() throws Exception {
        HttpResponse<String> created = post("", """
                {"hosts": ["web-01"], "hostLabels": {"role": "web"}, "metric": "system\\\\.cpu\\\\..*", "duration": "2h",
                 "author": "alice", "reason": "kernel upgrade"}""");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        String id = body.get("silenceId").asText();
        assertThat(created.headers().firstValue("Location")).hasValue("/v1/silences/" + id);
        assertThat(body.get("state").asText()).isEqualTo("active");
        Silence stored = topics.silences().valueSerde().deserializer().deserialize(Topics.SILENCES.name(), topic.get(id));
        assertThat(stored.getHosts()).containsExactly("web-01");
        assertThat(stored.getHostLabels()).containsEntry("role", "web");
        assertThat(stored.getMetric()).isEqualTo("system\\.cpu\\..*");
        assertThat(stored.getStartsAt()).isEqualTo(NOW);
        assertThat(stored.getEndsAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(stored.getAuthor()).isEqualTo("alice");
        assertThat(json(get("")).get("silences")).hasSize(1);
        assertThat(json(get("/" + id)).get("reason").asText()).isEqualTo("kernel upgrade");
    }

    @Test
    void shouldAnswer400NamingTheFieldAndCountIt() throws Exception {
        Map<String, String> bad = Map.of(
                "{\"hosts\": [\"web-01\"], \"author\": \"alice\", \"reason\": \"r\"}", "endsAt",
                "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"reason\": \"r\"}", "author",
                "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"author\": \"alice\"}", "reason",
                "{\"duration\": \"2h\", \"author\": \"alice\", \"reason\": \"r\"}", "hosts",
                "{\"hosts\": \"web-01\", \"duration\": \"2h\", \"author\": \"alice\", \"reason\": \"r\"}", "hosts",
                "{\"hosts\": [\"web-01\"], \"endsAt\": \"tomorrow\", \"author\": \"alice\", \"reason\": \"r\"}", "endsAt",
                "{\"hosts\": [\"web-01\"], \"endsAt\": \"2026-11-02T09:00:00Z\", \"author\": \"alice\", \"reason\": \"r\"}", "endsAt",
                "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"author\": \"alice\", \"reason\": \"r\", \"endAt\": \"x\"}", "endAt",
                "{\"metric\": \"(\", \"duration\": \"2h\", \"author\": \"alice\", \"reason\": \"r\"}", "metric",
                "not json", "body");

        for (Map.Entry<String, String> request : bad.entrySet()) {
            HttpResponse<String> response = post("", request.getKey());
            assertThat(response.statusCode()).as(request.getKey()).isEqualTo(400);
            assertThat(json(response).get("field").asText()).as(request.getKey()).isEqualTo(request.getValue());
            assertThat(json(response).get("error").asText()).as(request.getKey()).startsWith(request.getValue() + ": ");
        }
        assertThat(topic).isEmpty();
        assertThat(refused()).isEqualTo(bad.size());
    }

    @Test
    void shouldEndASilenceEarlyAsANewVersionAndRefuseToEndItTwice() throws Exception {
        String id = json(post("", "{\"hosts\": [\"web-01\"], \"duration\": \"2h\", \"author\": \"alice\", \"reason\": \"r\"}"))
                .get("silenceId").asText();

        HttpResponse<String> expired = post("/" + id + "/expire", "{\"author\": \"bob\"}");
        HttpResponse<String> again = post("/" + id + "/expire", "{\"author\": \"bob\"}");
        HttpResponse<String> anonymous = post("/" + id + "/expire", "{}");
        HttpResponse<String> unknown = post("/s-nothing/expire", "{\"author\": \"bob\"}");

        assertThat(expired.statusCode()).isEqualTo(200);
        assertThat(json(expired).get("state").asText()).isEqualTo("ended");
        assertThat(json(expired).get("expiredBy").asText()).isEqualTo("bob");
        assertThat(json(expired).get("endsAt").asText()).isEqualTo(NOW.toString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(anonymous.statusCode()).isEqualTo(400);
        assertThat(json(anonymous).get("field").asText()).isEqualTo("author");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(get("")).get("silences")).as("ended ones are left out").isEmpty();
        assertThat(json(get("?all=true")).get("silences")).hasSize(1);
    }

    @Test
    void shouldRefuseASecondSilenceWithTheSameId() throws Exception {
        String body = "{\"silenceId\": \"planned-42\", \"hosts\": [\"web-01\"], \"duration\": \"2h\", \"author\": \"alice\", \"reason\": \"r\"}";

        assertThat(post("", body).statusCode()).isEqualTo(201);
        HttpResponse<String> second = post("", body);

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).get("field").asText()).isEqualTo("silenceId");
    }

    /** The global store, read-only, over a map. */
    record MapStore(TreeMap<String, byte[]> map) implements ReadOnlyKeyValueStore<String, byte[]> {
        @Override
        public byte[] get(String key) {
            return map.get(key);
        }

        @Override
        public KeyValueIterator<String, byte[]> range(String from, String to) {
            return iterator(map.subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, byte[]> all() {
            return iterator(map);
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        private static KeyValueIterator<String, byte[]> iterator(Map<String, byte[]> entries) {
            Iterator<Map.Entry<String, byte[]>> it = new TreeMap<>(entries).entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, byte[]> next() {
                    Map.Entry<String, byte[]> entry = it.next();
                    return KeyValue.pair(entry.getKey(), entry.getValue());
                }
            };
        }
    }
}
