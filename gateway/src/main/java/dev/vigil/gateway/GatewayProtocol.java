package dev.vigil.gateway;

import java.io.IOException;
import java.util.Map;

/**
 * One way in: OTLP over HTTP, OTLP over gRPC, the Collector's Kafka topic, Prometheus remote write, scrape. A protocol
 * maps what it receives into {@code model.Point}s and hands them to the context's {@code BatchPublisher}, answering in
 * its own terms. A new protocol is one new package and one line in {@link GatewayApp#PROTOCOLS}.
 */
public interface GatewayProtocol extends AutoCloseable {

    /**
     * Sets the protocol up: adds its routes to the shared HTTP server (which starts after every protocol's
     * {@code start}), or starts its own server or consumer.
     */
    void start(GatewayContext context) throws IOException;

    /** What it listens on, to print at start: a label ("OTLP/gRPC") to an address. Empty when it listens on nothing of its own. */
    default Map<String, String> addresses() {
        return Map.of();
    }

    /** Whether it is healthy: null while it is, else what is wrong. */
    default String problem() {
        return null;
    }

    @Override
    void close();
}
