package dev.vigil.gateway;

import dev.vigil.gateway.publish.BatchPublisher;
import dev.vigil.gateway.publish.GatewayMetrics;
import dev.vigil.runtime.security.http.SecureHttpServer;
import dev.vigil.schemas.serde.AvroSerdes;

/**
 * What a {@link GatewayProtocol} gets to work with.
 *
 * @param config    the gateway's settings; a protocol's own keys are in {@code config.values()}
 * @param publisher where every protocol's points go
 * @param metrics   the gateway's counters (and its meter registry)
 * @param http      the shared HTTP server, to add routes to before it starts
 * @param serdes    Avro serdes on the configured registry (dead letters)
 */
public record GatewayContext(GatewayConfig config, BatchPublisher publisher, GatewayMetrics metrics, SecureHttpServer http, AvroSerdes serdes) {
}
