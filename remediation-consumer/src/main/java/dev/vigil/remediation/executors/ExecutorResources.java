package dev.vigil.remediation.executors;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import dev.vigil.schemas.Topics;

/**
 * What executors may need from the consumer's settings to run actions.
 *
 * @param kafka            the consumer's Kafka client settings
 * @param webhookSecret    HMAC key of webhook signatures; empty when none is configured
 * @param hostAgentTimeout how long a host's agent has to run an action and answer
 */
public record ExecutorResources(Map<String, Object> kafka, Topics topics, byte[] webhookSecret, Duration hostAgentTimeout) {

    public ExecutorResources {
        kafka = Map.copyOf(kafka);
        Objects.requireNonNull(topics, "topics can't be null");
        webhookSecret = webhookSecret.clone();
        Objects.requireNonNull(hostAgentTimeout, "hostAgentTimeout can't be null");
    }
}
