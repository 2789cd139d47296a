package dev.vigil.remediation.policy;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An allow-listed webhook: where the {@code webhook} executor may post decisions (StackStorm, Rundeck, AWX,
 * PagerDuty ...).
 *
 * @param retries further attempts after a failed one (connection error, 429 or 5xx), with backoff
 */
public record WebhookSpec(String name, URI url, Duration timeout, int retries) {

    public WebhookSpec {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(url, "url can't be null");
        Objects.requireNonNull(timeout, "timeout can't be null");
    }
}
