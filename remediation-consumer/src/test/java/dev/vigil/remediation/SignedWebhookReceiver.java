package dev.vigil.remediation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.remediation.executors.WebhookExecutor;

/**
 * A webhook receiver on loopback (an on-call pager, in the tests) that checks each post's signature, as a real one
 * must, keeps those that check out, and answers 200 {@code paged}, or 401 to the others.
 */
public final class SignedWebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> pages = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    /** Starts it on a free loopback port, checking signatures with {@code secret} (the consumer's {@code webhook.secret}). */
    public SignedWebhookReceiver(String secret) {
        WebhookExecutor signer = new WebhookExecutor(secret.getBytes(StandardCharsets.UTF_8));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a webhook receiver", e);
        }
        server.createContext("/page", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean signed = ("sha256=" + signer.sign(body)).equals(exchange.getRequestHeaders().getFirst("X-Vigil-Signature"));
                if (signed) {
                    pages.add(JSON.readTree(body));
                }
                byte[] answer = (signed ? "paged" : "bad signature").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(signed ? 200 : 401, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
    }

    /** Where to post: the URL a policy's {@code webhooks} entry names. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/page";
    }

    /** The signed posts received so far, as JSON, in order. */
    public List<JsonNode> pages() {
        return List.copyOf(pages);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
