package dev.vigil.gateway.publish;

import java.util.List;

import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.RefusedPoints;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gateway's counters, tagged by protocol ({@code otlp_http}, {@code otlp_grpc}, {@code otlp_kafka},
 * {@code remote_write}, {@code scrape} ...): {@code vigil_gateway_points_accepted_total{protocol}},
 * {@code vigil_gateway_points_refused_total{protocol,reason}} and, for whole requests refused before their points were
 * known (malformed, wrong content type, overloaded), {@code vigil_gateway_requests_refused_total{protocol,reason}}.
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code points} points of {@code protocol} were taken. */
    public void accepted(String protocol, int points) {
        if (points > 0) {
            registry.counter("vigil.gateway.points.accepted", "protocol", protocol).increment(points);
        }
    }

    /** Points of {@code protocol} were refused, by reason. */
    public void refused(String protocol, List<RefusedPoints> refused) {
        refused.forEach(r -> refused(protocol, r.reason(), r.points()));
    }

    /** {@code points} points of {@code protocol} were refused for {@code reason}. */
    public void refused(String protocol, RefusalReason reason, int points) {
        if (points > 0) {
            registry.counter("vigil.gateway.points.refused", "protocol", protocol, "reason", reason.id()).increment(points);
        }
    }

    /** A whole request of {@code protocol} was refused for {@code reason}. */
    public void requestRefused(String protocol, RefusalReason reason) {
        registry.counter("vigil.gateway.requests.refused", "protocol", protocol, "reason", reason.id()).increment();
    }
}
