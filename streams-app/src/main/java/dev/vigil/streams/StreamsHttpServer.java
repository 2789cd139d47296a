package dev.vigil.streams;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.avro.Silence;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.ReasonText;
import dev.vigil.runtime.http.HttpResponses;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Untrusted;
import dev.vigil.runtime.security.http.HttpSecurity;
import dev.vigil.runtime.security.http.RouteAccess;
import dev.vigil.runtime.security.http.SecureHttpServer;
import dev.vigil.schemas.MetricContract;
import dev.vigil.streams.state.DailyProfilePages;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.HostStateCodec;
import dev.vigil.streams.state.ScoredSample;
import dev.vigil.streams.state.SeriesKey;
import dev.vigil.streams.state.SeriesState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The streams application's HTTP face: {@code /healthz}, {@code /metrics} (Prometheus text, Kafka Streams'
 * own metrics included) and interactive queries over the host-state store, for dashboards and custom
 * consumers:
 * <ul>
 *   <li>{@code GET /v1/hosts/{host}}: every series of the host with its expected band, last score and its reason
 *       ({@code reason}, and {@code why} in plain words) and alert (with the reason it opened);</li>
 *   <li>{@code GET /v1/hosts/{host}/alerts}: the host's open alerts;</li>
 *   <li>{@code GET /v1/hosts/{host}/series?metric=NAME&label.KEY=VALUE...}: one series;</li>
 *   <li>{@code GET /v1/hosts/{host}/forecast?metric=NAME&label.KEY=VALUE...&horizon=7d&step=1h}: a bounded series' long-horizon
 *       forecast ({@link PredictionViews}).</li>
 *   <li>{@code /v1/silences}: silences, listed, created and ended early ({@link SilenceApi}).</li>
 * </ul>
 * A series with a ceiling also says when it is expected to reach it ({@code exhaustion}). A request with a bad field is
 * answered 400 naming it, and counted ({@code vigil_streams_http_bad_requests_total{field}}).
 * A host whose state lives on another instance is answered with a 307 redirect to that instance.
 * <p>
 * With an access file, reads need the viewer role, creating and ending silences the operator role; {@code /healthz}
 * stays open ({@link SecureHttpServer}).
 */
final class StreamsHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry metrics;
    private final HostStateCodec codec;
    private final Map<String, Counter> badRequests = new ConcurrentHashMap<>();
    private final String scheme;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;

    /**
     * @param silences    how silences reach {@code vigil.silences}
     * @param silenceType decodes the silences of the global store
     */
    StreamsHttpServer(String host, int port, HttpSecurity security, PrometheusMeterRegistry metrics, HostStateCodec codec, SilenceApi.Writer silences,
                      Deserializer<Silence> silenceType) throws IOException {
        this.metrics = metrics;
        this.codec = codec;
        SecureHttpServer secure = SecureHttpServer.create(host, port, 32, security, metrics, "streams application");
        this.server = secure.server();
        this.scheme = secure.scheme();
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "vigil-streams-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        secure.route("/healthz", RouteAccess.open(), this::healthz);
        secure.route("/metrics", RouteAccess.role(Role.VIEWER), this::metrics);
        secure.route("/v1/hosts/", RouteAccess.role(Role.VIEWER), this::hosts);
        secure.route("/v1/silences", RouteAccess.readsOr(Role.OPERATOR), new SilenceApi(this::silenceStore, silenceType, silences, Clock.systemUTC(), metrics));
        server.start();
    }

    /** The address other instances redirect to; also Kafka Streams' {@code application.server}. */
    HostInfo address() {
        InetSocketAddress bound = server.getAddress();
        return new HostInfo(bound.getHostString(), bound.getPort());
    }

    void serve(KafkaStreams streams) {
        this.self = address();
        this.streams = streams;
    }

    private ReadOnlyKeyValueStore<String, byte[]> silenceStore() {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("starting");
        }
        return current.store(StoreQueryParameters.fromNameAndType(ScoringTopology.SILENCES_STORE, QueryableStoreTypes.keyValueStore()));
    }

    private void healthz(HttpExchange exchange) throws IOException {
        try (exchange) {
            KafkaStreams current = streams;
            KafkaStreams.State state = current == null ? KafkaStreams.State.CREATED : current.state();
            boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
            respond(exchange, up ? 200 : 503, JSON.createObjectNode().put("status", up ? "UP" : "DOWN").put("state", state.name()));
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpResponses.prometheus(exchange, metrics);
        }
    }

    private void hosts(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("use GET"));
                return;
            }
            URI uri = exchange.getRequestURI();
            String[] parts = uri.getRawPath().substring("/v1/hosts/".length()).split("/");
            String hostId = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            String view = parts.length > 1 ? parts[1] : "";
            if (hostId.isEmpty() || parts.length > 2 || !(view.isEmpty() || view.equals("alerts") || view.equals("series")
                    || view.equals("forecast"))) {
                respond(exchange, 404, error("unknown path; use /v1/hosts/{host}, /v1/hosts/{host}/alerts, /v1/hosts/{host}/series?metric=... "
                        + "or /v1/hosts/{host}/forecast?metric=..."));
                return;
            }
            if (!MetricContract.isHostId(hostId)) {
                badRequest(exchange, "host", "a host id is " + MetricContract.HOST_ID_RULE);
                return;
            }
            KafkaStreams current = streams;
            if (current == null) {
                respond(exchange, 503, error("starting"));
                return;
            }
            KeyQueryMetadata owner = current.queryMetadataForKey(ScoringTopology.HOST_STATE_STORE, hostId, Serdes.String().serializer());
            if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE) {
                respond(exchange, 503, error("the store is not available yet (rebalancing); retry shortly"));
                return;
            }
            if (!owner.activeHost().equals(self)) {
                exchange.getResponseHeaders().add("Location",
                        Untrusted.headerValue(scheme + "://" + owner.activeHost().host() + ":" + owner.activeHost().port() + uri));
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            byte[] bytes;
            try {
                ReadOnlyKeyValueStore<String, byte[]> store = current.store(StoreQueryParameters.fromNameAndType(
                        ScoringTopology.HOST_STATE_STORE, QueryableStoreTypes.keyValueStore()));
                bytes = store.get(hostId);
            } catch (InvalidStateStoreException e) {
                respond(exchange, 503, error("the store is not queryable right now (" + e.getMessage() + "); retry shortly"));
                return;
            }
            if (bytes == null) {
                respond(exchange, 404, error("no host " + hostId + " has reported to this application"));
                return;
            }
            HostState host = codec.decode(bytes, new DailyProfilePages(DailyProfilePages.Source.EMPTY)); // scores are in the state
            switch (view) {
                case "alerts" -> respond(exchange, 200, alerts(hostId, host));
                case "series" -> series(exchange, hostId, host, query(uri), false);
                case "forecast" -> series(exchange, hostId, host, query(uri), true);
                default -> respond(exchange, 200, host(hostId, host));
            }
        }
    }

    private void series(HttpExchange exchange, String hostId, HostState host, Map<String, String> query, boolean forecast) throws IOException {
        String metric = query.get("metric");
        if (metric == null || metric.isBlank()) {
            badRequest(exchange, "metric", "give the series as ?metric=NAME and one label.KEY=VALUE per label");
            return;
        }
        Map<String, String> labels = new TreeMap<>();
        query.forEach((key, value) -> {
            if (key.startsWith("label.")) {
                labels.put(key.substring("label.".length()), value);
            }
        });
        SeriesState series = host.series(SeriesKey.lookup(metric, labels));
        if (series == null) {
            respond(exchange, 404, error("host " + hostId + " has no series " + SeriesKey.of(metric, labels)));
            return;
        }
        if (!forecast) {
            respond(exchange, 200, seriesNode(host, series));
            return;
        }
        if (series.prediction() == null) {
            respond(exchange, 404, error("series " + series.key() + " has no long-horizon forecast: only metrics with a ceiling have one "
                    + "(docs/alerts.md#predicted-alerts)"));
            return;
        }
        Object answer = PredictionViews.forecast(series, query);
        if (answer instanceof PredictionViews.BadField bad) {
            badRequest(exchange, bad.field(), bad.field() + ": " + bad.message());
            return;
        }
        respond(exchange, 200, (ObjectNode) answer);
    }

    private void badRequest(HttpExchange exchange, String field, String message) throws IOException {
        badRequests.computeIfAbsent(field, f -> Counter.builder("vigil.streams.http.bad.requests")
                .description("query API requests refused for a bad field").tag("field", f).register(metrics)).increment();
        log.info("Refused query {} from {}: field {}: {}", Untrusted.quote(exchange.getRequestURI().getRawPath()),
                exchange.getRemoteAddress().getAddress().getHostAddress(), field, Untrusted.quote(message));
        respond(exchange, 400, error(message).put("field", field));
    }

    private static ObjectNode host(String hostId, HostState host) {
        ObjectNode node = JSON.createObjectNode().put("hostId", hostId);
        node.set("hostLabels", JSON.valueToTree(host.hostLabels()));
        node.put("hostAlertOpen", host.hostAlert().isOpen());
        ArrayNode series = node.putArray("series");
        host.allSeries().forEach(s -> series.add(seriesNode(host, s)));
        return node;
    }

    private static ObjectNode alerts(String hostId, HostState host) {
        ObjectNode node = JSON.createObjectNode().put("hostId", hostId);
        if (host.hostAlert().isOpen()) {
            node.putObject("hostAlert").put("startedAt", host.hostAlert().openedAt()).put("peakScore", host.hostAlert().peak());
        }
        ArrayNode series = node.putArray("seriesAlerts");
        host.alertingSeries().forEach(s -> series.add(seriesNode(host, s)));
        host.allSeries().stream().filter(s -> s.prediction() != null && s.prediction().alert().isOpen())
                .forEach(s -> node.withArray("predictedAlerts").add(seriesNode(host, s)));
        return node;
    }

    private static ObjectNode seriesNode(HostState host, SeriesState series) {
        ObjectNode node = JSON.createObjectNode()
                .put("seriesId", series.seriesId())
                .put("metric", series.key().metric());
        node.set("labels", JSON.valueToTree(series.key().labels()));
        node.put("timestamp", series.lastTimestamp()).put("value", series.lastValue());
        AnomalyScore score = series.lastScore();
        if (score != null) {
            node.put("expected", score.expected()).put("lower", score.lower()).put("upper", score.upper())
                    .put("score", score.score()).put("learning", score.learning())
                    .put("reason", score.reason().name()).put("why", ReasonText.describe(score, series.lastValue(), series.lastTimestamp()));
        }
        if (series.alert().isOpen()) {
            ObjectNode alert = node.putObject("alert").put("startedAt", series.alert().openedAt()).put("peakScore", series.alert().peak())
                    .put("announced", series.alert().isAnnounced());
            ScoredSample peak = series.peak();
            if (peak != null) { // why it opened, which the last score may no longer show
                alert.put("reason", peak.score().reason().name()).put("why", peak.why());
            }
        }
        ObjectNode exhaustion = PredictionViews.exhaustion(host, series);
        if (exhaustion != null) {
            node.set("exhaustion", exhaustion);
        }
        return node;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new TreeMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        HttpResponses.json(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
