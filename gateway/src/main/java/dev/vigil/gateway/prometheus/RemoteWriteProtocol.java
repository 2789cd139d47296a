package dev.vigil.gateway.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;

import dev.vigil.gateway.GatewayContext;
import dev.vigil.gateway.GatewayKeys;
import dev.vigil.gateway.GatewayProtocol;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.publish.Admission;
import dev.vigil.gateway.publish.BatchPublisher;
import dev.vigil.gateway.publish.GatewayMetrics;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.http.RouteAccess;
import io.micrometer.core.instrument.Gauge;

/**
 * Prometheus remote write 1.0 on the shared HTTP server: {@code POST /api/v1/write}, publisher role, a snappy-block
 * {@code WriteRequest}. Answers as Prometheus expects: 204 once Kafka has the request; 400 for a body that is not one
 * (not retried by the sender); 415 for another content type or encoding; 413 beyond the shared body limit; 429 with
 * {@code Retry-After} when the publisher is overloaded and 503 when Kafka failed (both retried by the sender).
 */
public final class RemoteWriteProtocol implements GatewayProtocol {

    /** The tag of this protocol's counters. */
    public static final String PROTOCOL = "prometheus_remote_write";
    public static final String PATH = "/api/v1/write";
    /** Family types learnt from metadata requests; bounded, cleared when full (metadata is sent again every minute). */
    private static final int MAX_FAMILY_TYPES = 100_000;

    private final Map<String, PromType> familyTypes = new ConcurrentHashMap<>();
    private BatchPublisher publisher;
    private GatewayMetrics metrics;
    private RemoteWriteDecoder decoder;
    private RemoteWriteReader reader;

    @Override
    public void start(GatewayContext context) {
        this.publisher = context.publisher();
        this.metrics = context.metrics();
        long limit = context.config().httpSecurity().limits().maxBodyBytes();
        // The compressed body is bounded by the server; the decompressed request by the same limit, as the agent's push.
        this.decoder = new RemoteWriteDecoder((int) Math.min(Integer.MAX_VALUE - 8, limit));
        PrometheusMapper mapper = new PrometheusMapper(new HostIdentity(context.config().hostAttributes(),
                context.config().values().get(GatewayKeys.PROMETHEUS_STRIP_PORT)));
        this.reader = new RemoteWriteReader(mapper, context.config().values().get(GatewayKeys.PROMETHEUS_SERIES_KEPT));
        Gauge.builder("vigil.gateway.remote.write.series.kept", reader, RemoteWriteReader::knownSeries)
                .description("Remote-write series whose mapping is kept, found again by their label bytes").register(metrics.registry());
        context.http().route(PATH, RouteAccess.role(Role.PUBLISHER), limit, this::handle);
    }

    @Override
    public Map<String, String> addresses() {
        return Map.of("Prometheus remote write", PATH);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, "use POST");
                return;
            }
            String type = header(exchange, "Content-Type");
            String encoding = header(exchange, "Content-Encoding");
            if (!type.startsWith("application/x-protobuf") || !encoding.equals("snappy")) {
                refuseRequest(RefusalReason.UNSUPPORTED_MEDIA_TYPE);
                answer(exchange, 415, "remote write 1.0 takes Content-Type: application/x-protobuf with Content-Encoding: snappy, not '"
                        + type + "' with '" + encoding + "'");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            RemoteWriteReader.Read request;
            try {
                byte[] writeRequest = decoder.uncompress(body);
                learn(RemoteWriteReader.familyTypes(writeRequest));
                request = reader.read(writeRequest, familyTypes::get);
            } catch (RemoteWriteException e) {
                refuseRequest(e.kind() == RemoteWriteException.Kind.TOO_LARGE ? RefusalReason.TOO_LARGE : RefusalReason.MALFORMED);
                answer(exchange, e.kind().status(), e.getMessage());
                return;
            } catch (InvalidProtocolBufferException e) {
                refuseRequest(RefusalReason.MALFORMED);
                answer(exchange, 400, "body is not a prometheus.WriteRequest: " + e.getMessage());
                return;
            }
            if (!request.problems().isEmpty()) {
                refuseRequest(RefusalReason.MALFORMED);
                answer(exchange, 400, String.join("; ", request.problems().subList(0, Math.min(3, request.problems().size()))));
                return;
            }
            if (request.nativeHistograms() > 0) {
                metrics.refused(PROTOCOL, RefusalReason.UNSUPPORTED, request.nativeHistograms());
            }
            Admission admission = publisher.publish(PROTOCOL, request.mapped());
            if (admission instanceof Admission.Accepted) {
                // Refused samples (not finite, no host, over the series bound) are counted; retrying them would not help,
                // and a 4xx would make Prometheus drop the good samples of the batch too.
                exchange.sendResponseHeaders(204, -1);
            } else if (admission instanceof Admission.Overloaded overloaded) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, overloaded.retryAfter().toSeconds())));
                answer(exchange, 429, overloaded.message());
            } else if (admission instanceof Admission.Unavailable unavailable) {
                exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, unavailable.retryAfter().toSeconds())));
                answer(exchange, 503, unavailable.message());
            }
        }
    }

    /** Takes in the family types of a request's metadata; the reader's kept series are forgotten if any type changed. */
    private void learn(Map<String, PromType> types) {
        if (types.isEmpty() || types.entrySet().stream().allMatch(type -> type.getValue() == familyTypes.get(type.getKey()))) {
            return; // metadata is sent again every minute, mostly the same
        }
        if (familyTypes.size() + types.size() > MAX_FAMILY_TYPES) {
            familyTypes.clear();
        }
        familyTypes.putAll(types);
        reader.forgetSeries();
    }

    private void refuseRequest(RefusalReason reason) {
        metrics.requestRefused(PROTOCOL, reason);
    }

    private static String header(HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    }

    private static void answer(HttpExchange exchange, int status, String message) throws IOException {
        byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, text.length);
        exchange.getResponseBody().write(text);
    }

    @Override
    public void close() {
        // routes close with the shared server
    }
}
