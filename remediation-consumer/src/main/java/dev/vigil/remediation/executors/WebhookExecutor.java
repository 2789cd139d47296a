package dev.vigil.remediation.executors;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.policy.WebhookSpec;

/**
 * Posts a decision as JSON to an allow-listed webhook, signed: {@code X-Vigil-Signature: sha256=<hex HMAC of
 * the body>} with a secret the receiver shares, and {@code X-Vigil-Idempotency-Key} so a receiver can drop a
 * repeat. Connection errors, 429 and 5xx are retried with exponential backoff; other answers are final.
 */
public final class WebhookExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final byte[] secret;

    /** @param secret the HMAC key, from the environment or a file; at least 32 bytes */
    public WebhookExecutor(byte[] secret) {
        this.secret = Objects.requireNonNull(secret, "secret can't be null").clone();
        if (secret.length < 32) {
            throw new IllegalArgumentException("the webhook secret must have at least 32 bytes, has " + secret.length);
        }
    }

    /** Posts {@code payload} (the decision's fields) to {@code webhook}, retrying as the webhook allows. */
    public ActionOutcome post(WebhookSpec webhook, String idempotencyKey, Map<String, Object> payload) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new TreeMap<>(payload));
        } catch (JsonProcessingException e) {
            return new ActionOutcome(false, "cannot encode the decision: " + e.getOriginalMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(webhook.url()).timeout(webhook.timeout())
                .header("Content-Type", "application/json")
                .header("X-Vigil-Signature", "sha256=" + sign(body))
                .header("X-Vigil-Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Duration backoff = FIRST_BACKOFF;
        String last = "";
        for (int attempt = 0; attempt <= webhook.retries(); attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new ActionOutcome(false, "interrupted after " + last);
                }
                backoff = backoff.multipliedBy(2);
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                last = "HTTP " + status + " " + abbreviate(response.body());
                if (status / 100 == 2) {
                    return new ActionOutcome(true, last + (attempt > 0 ? " (attempt " + (attempt + 1) + ")" : ""));
                }
                if (status != 429 && status / 100 != 5) {
                    return new ActionOutcome(false, last);
                }
            } catch (IOException e) {
                last = "no answer: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ActionOutcome(false, "interrupted");
            }
        }
        return new ActionOutcome(false, last + " after " + (webhook.retries() + 1) + " attempts");
    }

    /** Hex HMAC-SHA256 of {@code body}: what {@code X-Vigil-Signature} carries after {@code sha256=}. */
    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }
}
