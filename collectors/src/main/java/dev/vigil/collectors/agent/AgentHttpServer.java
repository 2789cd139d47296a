package dev.vigil.collectors.agent;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.collectors.ingest.PushBuffer;
import dev.vigil.collectors.ingest.PushResult;
import dev.vigil.collectors.ingest.PushValidator;
import dev.vigil.runtime.http.HttpResponses;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.http.HttpSecurity;
import dev.vigil.runtime.security.http.RouteAccess;
import dev.vigil.runtime.security.http.SecureHttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The agent's HTTP face, on loopback by default: {@code POST /v1/metrics} for applications to push their
 * own samples, {@code GET /metrics} (Prometheus text) and {@code GET /healthz}. With an access file, pushing needs the
 * publisher role and {@code /metrics} the viewer role; {@code /healthz} stays open ({@link SecureHttpServer}).
 */
final class AgentHttpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final PushValidator validator;
    private final PushBuffer buffer;
    private final PrometheusMeterRegistry metrics;
    private final Supplier<Health> health;

    /** What {@code /healthz} reports. */
    record Health(boolean up, String detail) {
    }

    AgentHttpServer(String host, int port, HttpSecurity security, PushValidator validator, PushBuffer buffer, int maxRequestBytes,
                    PrometheusMeterRegistry metrics, Supplier<Health> health) throws IOException {
        this.validator = validator;
        this.buffer = buffer;
        this.metrics = metrics;
        this.health = health;
        SecureHttpServer secure = SecureHttpServer.create(host, port, 16, security, metrics, "collector agent");
        this.server = secure.server();
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "vigil-agent-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        secure.route("/v1/metrics", RouteAccess.role(Role.PUBLISHER), maxRequestBytes, this::push); // the server answers 413 beyond it
        secure.route("/metrics", RouteAccess.role(Role.VIEWER), this::metrics);
        secure.route("/healthz", RouteAccess.open(), this::healthz);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reject(exchange, new PushResult.Rejected(405, "method_not_allowed", "use POST"));
                return;
            }
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!contentType.startsWith("application/json")) {
                reject(exchange, new PushResult.Rejected(415, "unsupported_media_type", "Content-Type must be application/json"));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes(); // at most maxRequestBytes: SecureHttpServer cuts it there
            PushResult result = validator.validate(body, System.currentTimeMillis());
            if (result instanceof PushResult.Rejected rejected) {
                reject(exchange, rejected);
            } else if (result instanceof PushResult.Accepted accepted) {
                if (!buffer.offer(accepted.samples())) {
                    reject(exchange, new PushResult.Rejected(429, "buffer_full",
                            "the agent holds too many pushed samples already; retry after the next tick"));
                    return;
                }
                metrics.counter("vigil.collector.ingest.requests", "status", "202").increment();
                metrics.counter("vigil.collector.ingest.samples").increment(accepted.samples().size());
                respond(exchange, 202, JSON.createObjectNode().put("accepted", accepted.samples().size()));
            }
        }
    }

    private void reject(HttpExchange exchange, PushResult.Rejected rejected) throws IOException {
        metrics.counter("vigil.collector.ingest.requests", "status", Integer.toString(rejected.status())).increment();
        metrics.counter("vigil.collector.ingest.rejected", "reason", rejected.reason()).increment();
        respond(exchange, rejected.status(), JSON.createObjectNode().put("error", rejected.message()).put("reason", rejected.reason()));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpResponses.prometheus(exchange, metrics);
        }
    }

    private void healthz(HttpExchange exchange) throws IOException {
        try (exchange) {
            Health now = health.get();
            respond(exchange, now.up() ? 200 : 503, JSON.createObjectNode().put("status", now.up() ? "UP" : "DOWN").put("detail", now.detail()));
        }
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
