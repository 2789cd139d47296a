package dev.vigil.streams;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.vigil.avro.Silence;
import dev.vigil.runtime.http.HttpResponses;
import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Untrusted;
import dev.vigil.runtime.security.http.SecureHttpServer;
import dev.vigil.schemas.SilenceContract;
import dev.vigil.schemas.registry.SchemaRegistryException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The silences API of the streams application's HTTP face, beside the queries of {@link StreamsHttpServer}:
 * <ul>
 *   <li>{@code GET /v1/silences}: the silences in force and to come ({@code ?all=true}: ended ones too);</li>
 *   <li>{@code GET /v1/silences/{id}}: one silence;</li>
 *   <li>{@code POST /v1/silences}: creates one from JSON ({@code hosts}, {@code hostLabels}, {@code metric}, {@code startsAt},
 *       {@code endsAt} or {@code duration}, {@code author}, {@code reason}); 201 with it, once {@code vigil.silences} has it;</li>
 *   <li>{@code POST /v1/silences/{id}/expire}: ends it now ({@code {"author": NAME}}); 200 with its new version.</li>
 * </ul>
 * When the server authenticates, the author is the authenticated principal: a body without {@code author} gets the
 * principal's name, a body naming someone else is refused 400 ({@code field: author}), so no one writes a silence in
 * another's name.
 * <p>
 * A request with a bad field is answered 400 with {@code error} and {@code field} naming it, and counted
 * ({@code vigil_streams_silence_requests_total{outcome="refused"}}). Silences are read from the application's global
 * store of the topic, so every instance answers alike; one just written may take a moment to show there.
 */
final class SilenceApi implements HttpHandler {

    /** Writes a silence to {@code vigil.silences} and returns once the broker has it. */
    @FunctionalInterface
    interface Writer {
        void write(Silence silence) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(SilenceApi.class);
    private static final String PATH = "/v1/silences";

    private final Supplier<ReadOnlyKeyValueStore<String, byte[]>> store;
    private final Deserializer<Silence> deserializer;
    private final Writer writer;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();

    /**
     * @param store the global store of {@code vigil.silences}; throws {@link InvalidStateStoreException} while it cannot be read
     */
    SilenceApi(Supplier<ReadOnlyKeyValueStore<String, byte[]>> store, Deserializer<Silence> deserializer, Writer writer, Clock clock,
               MeterRegistry registry) {
        this.store = store;
        this.deserializer = deserializer;
        this.writer = writer;
        this.clock = clock;
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rest = exchange.getRequestURI().getRawPath().substring(PATH.length());
            String[] parts = rest.isEmpty() || rest.equals("/") ? new String[0] : rest.substring(1).split("/");
            String method = exchange.getRequestMethod();
            if (parts.length == 0 && method.equals("GET")) {
                list(exchange, "all=true".equals(exchange.getRequestURI().getRawQuery()));
            } else if (parts.length == 0 && method.equals("POST")) {
                create(exchange);
            } else if (parts.length == 1 && method.equals("GET")) {
                get(exchange, decode(parts[0]));
            } else if (parts.length == 2 && parts[1].equals("expire") && method.equals("POST")) {
                expire(exchange, decode(parts[0]));
            } else {
                respond(exchange, 404, error("unknown request; use GET or POST " + PATH + ", GET " + PATH + "/{id}, POST " + PATH
                        + "/{id}/expire"));
            }
        } catch (InvalidStateStoreException | IllegalStateException e) {
            respond(exchange, 503, error("the silences are not readable yet (" + e.getMessage() + "); retry shortly"));
        } catch (SchemaRegistryException e) {
            respond(exchange, 503, error("schema registry unavailable: " + e.getMessage()));
        }
    }

    private void list(HttpExchange exchange, boolean all) throws IOException {
        Instant now = clock.instant();
        ObjectNode body = SilenceJson.JSON.createObjectNode();
        ArrayNode silences = body.putArray("silences");
        for (Silence silence : book().all()) {
            if (all || !SilenceContract.hasEnded(silence, now)) {
                silences.add(SilenceJson.toJson(silence, now));
            }
        }
        respond(exchange, 200, body);
    }

    private void get(HttpExchange exchange, String id) throws IOException {
        Silence silence = book().get(id);
        if (silence == null) {
            respond(exchange, 404, error("no silence " + id));
        } else {
            respond(exchange, 200, SilenceJson.toJson(silence, clock.instant()));
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        Instant now = clock.instant();
        Silence silence;
        try {
            silence = SilenceJson.create(authored(exchange, body(exchange)), now);
            if (book().get(silence.getSilenceId()) != null) {
                refuse(exchange, 409, new SilenceJson.BadField("silenceId", "a silence " + silence.getSilenceId() + " exists already"));
                return;
            }
        } catch (SilenceJson.BadField bad) {
            refuse(exchange, 400, bad);
            return;
        }
        if (write(exchange, silence)) {
            count("created");
            log.info("Silence {} created by {} until {}: {}", silence.getSilenceId(), Untrusted.quote(silence.getAuthor()), silence.getEndsAt(),
                    Untrusted.quote(silence.getReason()));
            exchange.getResponseHeaders().add("Location", Untrusted.headerValue(PATH + "/" + silence.getSilenceId()));
            respond(exchange, 201, SilenceJson.toJson(silence, now));
        }
    }

    private void expire(HttpExchange exchange, String id) throws IOException {
        Instant now = clock.instant();
        String by;
        try {
            by = SilenceJson.expiredBy(authored(exchange, body(exchange)));
        } catch (SilenceJson.BadField bad) {
            refuse(exchange, 400, bad);
            return;
        }
        Silence silence = book().get(id);
        if (silence == null) {
            count("refused");
            respond(exchange, 404, error("no silence " + id));
            return;
        }
        if (SilenceContract.hasEnded(silence, now)) {
            refuse(exchange, 409, new SilenceJson.BadField("endsAt", "silence " + id + " has ended already, at " + silence.getEndsAt()));
            return;
        }
        Silence expired = SilenceContract.expired(silence, by, now);
        if (write(exchange, expired)) {
            count("expired");
            log.info("Silence {} ended early by {}", Untrusted.quote(id), Untrusted.quote(by));
            respond(exchange, 200, SilenceJson.toJson(expired, now));
        }
    }

    private boolean write(HttpExchange exchange, Silence silence) throws IOException {
        try {
            writer.write(silence);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, error("interrupted while writing the silence"));
        } catch (Exception e) {
            log.warn("Cannot write silence {}: {}", silence.getSilenceId(), e.toString());
            respond(exchange, 503, error("cannot write the silence to Kafka: " + e.getMessage()));
        }
        return false;
    }

    private SilenceBook book() {
        return new SilenceBook(store.get(), deserializer, null);
    }

    private static JsonNode body(HttpExchange exchange) throws IOException, SilenceJson.BadField {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes(); // at most http.max.body.size: SecureHttpServer answers 413 beyond it
        }
        try {
            return SilenceJson.JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new SilenceJson.BadField("body", "not JSON: " + e.getOriginalMessage());
        }
    }

    /** The body with the authenticated principal as its author, if the server authenticates; another author is refused. */
    private static JsonNode authored(HttpExchange exchange, JsonNode body) throws SilenceJson.BadField {
        Optional<Principal> principal = SecureHttpServer.principal(exchange);
        if (principal.isEmpty() || !(body instanceof ObjectNode object)) {
            return body;
        }
        String name = principal.get().name();
        JsonNode given = object.get("author");
        if (given != null && !given.asText().equals(name)) {
            throw new SilenceJson.BadField("author", "you are authenticated as " + name + "; leave author out or give your own name");
        }
        return object.deepCopy().put("author", name);
    }

    private void refuse(HttpExchange exchange, int status, SilenceJson.BadField bad) throws IOException {
        count("refused");
        log.info("Refused silence request {} {} from {}: field {}: {}", exchange.getRequestMethod(), Untrusted.quote(exchange.getRequestURI().getRawPath()),
                exchange.getRemoteAddress().getAddress().getHostAddress(), bad.field(), Untrusted.quote(bad.getMessage()));
        respond(exchange, status, error(bad.getMessage()).put("field", bad.field()));
    }

    private void count(String outcome) {
        requests.computeIfAbsent(outcome, o -> Counter.builder("vigil.streams.silence.requests")
                .description("silence requests to the HTTP API, by outcome (created, expired, refused)").tag("outcome", o)
                .register(registry)).increment();
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static ObjectNode error(String message) {
        return SilenceJson.JSON.createObjectNode().put("error", message);
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        HttpResponses.json(exchange, status, body);
    }
}
