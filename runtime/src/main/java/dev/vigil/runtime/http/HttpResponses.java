package dev.vigil.runtime.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * How Vigil's HTTP faces answer (the agent's, the streams application's, {@link HealthMetricsServer}): a JSON
 * body, or the Prometheus scrape. The caller closes the exchange.
 */
public final class HttpResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponses() {
    }

    public static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    /** {@code GET /metrics}: the registry in Prometheus text format. */
    public static void prometheus(HttpExchange exchange, PrometheusMeterRegistry metrics) throws IOException {
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
