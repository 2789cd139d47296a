package dev.vigil.remediation.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.policy.WebhookSpec;

/** The webhook executor against a real HTTP server on loopback that answers as it is told. */
class WebhookExecutorTest {

    private static final byte[] SECRET = "webhook-secret-webhook-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final List<Integer> answers = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final WebhookExecutor executor = new WebhookExecutor(SECRET);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            int call = calls.getAndIncrement();
            signatures.add(exchange.getRequestHeaders().getFirst("X-Vigil-Signature"));
            bodies.add(exchange.getRequestBody().readAllBytes());
            int status = call < answers.size() ? answers.get(call) : 200;
            byte[] reply = ("answer " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private WebhookSpec hook(int retries) {
        return new WebhookSpec("runbook", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), Duration.ofSeconds(5), retries);
    }

    @Test
    void shouldPostTheDecisionSignedWithTheSharedSecret() {
        ActionOutcome outcome = executor.post(hook(0), "a1/restart", Map.of("rule", "restart", "target", "web-01"));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(new String(bodies.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"rule\":\"restart\",\"target\":\"web-01\"}");
        assertThat(signatures.get(0)).isEqualTo("sha256=" + executor.sign(bodies.get(0)));
    }

    @Test
    void shouldRetryUnavailableAnswersWithBackoffAndGiveUpAfterTheRetries() {
        answers.addAll(List.of(503, 429));
        assertThat(executor.post(hook(3), "k", Map.of("n", 1)).detail()).isEqualTo("HTTP 200 answer 200 (attempt 3)");
        assertThat(calls.get()).isEqualTo(3);

        answers.clear();
        calls.set(0);
        answers.addAll(List.of(500, 500, 500));
        ActionOutcome gaveUp = executor.post(hook(2), "k", Map.of("n", 2));
        assertThat(gaveUp.succeeded()).isFalse();
        assertThat(gaveUp.detail()).isEqualTo("HTTP 500 answer 500 after 3 attempts");
    }

    @Test
    void shouldNotRetryARefusal() {
        answers.add(403);

        ActionOutcome outcome = executor.post(hook(3), "k", Map.of());

        assertThat(outcome).isEqualTo(new ActionOutcome(false, "HTTP 403 answer 403"));
        assertThat(calls.get()).isEqualTo(1);
    }
}
