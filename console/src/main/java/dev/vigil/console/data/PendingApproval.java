package dev.vigil.console.data;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A decision waiting for a person's answer: what the rule would do, where, with which parameters, and what the policy says
 * about it (it needs approval; it lapses at {@code expiresAt}, {@code ttl} after it was asked).
 */
public record PendingApproval(String decisionId, String alertId, String rule, String hostId, String action, Map<String, String> parameters,
                              Instant requestedAt, Instant expiresAt) {

    public PendingApproval {
        parameters = Map.copyOf(parameters);
    }

    /** The policy's approval TTL, as this decision was given it. */
    public Duration ttl() {
        return Duration.between(requestedAt, expiresAt);
    }
}
