package dev.vigil.runtime.http;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.http.HttpSecurity;
import dev.vigil.runtime.security.http.RouteAccess;
import dev.vigil.runtime.security.http.SecureHttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The HTTP face of a service that needs no more than {@code GET /healthz} (200 while healthy, 503 with the
 * problem otherwise) and {@code GET /metrics} (Prometheus text): the sinks and the remediation consumer. {@code /metrics}
 * needs the viewer role once an access file is set; {@code /healthz} stays open ({@link SecureHttpServer}).
 */
public final class HealthMetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Starts serving.
     *
     * @param problem null while healthy, else what is wrong
     * @param security who may call it, and TLS
     * @param name     for the server's thread and messages
     */
    public HealthMetricsServer(String host, int port, HttpSecurity security, PrometheusMeterRegistry metrics, Supplier<String> problem,
                               String name) throws IOException {
        SecureHttpServer secure = SecureHttpServer.create(host, port, 16, security, metrics, name);
        server = secure.server();
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigil-" + name + "-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        secure.route("/metrics", RouteAccess.role(Role.VIEWER), exchange -> {
            try (exchange) {
                HttpResponses.prometheus(exchange, metrics);
            }
        });
        secure.route("/healthz", RouteAccess.open(), exchange -> {
            try (exchange) {
                String trouble = problem.get();
                ObjectNode health = JsonNodeFactory.instance.objectNode().put("status", trouble == null ? "UP" : "DOWN");
                if (trouble != null) {
                    health.put("problem", trouble);
                }
                HttpResponses.json(exchange, trouble == null ? 200 : 503, health);
            }
        });
        server.start();
    }

    /** host:port where it listens. */
    public String address() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
