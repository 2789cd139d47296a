package dev.vigil.schemas.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The HTTP face of a service that needs no more than {@code GET /healthz} (200 while healthy, 503 with the
 * problem otherwise) and {@code GET /metrics} (Prometheus text): the sinks and the remediation consumer.
 */
public final class HealthMetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Starts serving.
     *
     * @param problem null while healthy, else what is wrong
     * @param name    for the server's thread
     */
    public HealthMetricsServer(String host, int port, PrometheusMeterRegistry metrics, Supplier<String> problem, String name)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigil-" + name + "-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/healthz", exchange -> {
            String trouble = problem.get();
            respond(exchange, trouble == null ? 200 : 503, "application/json",
                    trouble == null ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"problem\":\"" + json(trouble) + "\"}");
        });
        server.start();
    }

    /** host:port where it listens. */
    public String address() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
