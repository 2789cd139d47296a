package dev.vigil.runtime.security.http;

import java.io.IOException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.vigil.runtime.http.HttpResponses;
import com.sun.net.httpserver.HttpExchange;

/** The one shape of a refusal's answer: {@code {"error": message, "reason": reason}}. */
final class RefusalResponse {

    private RefusalResponse() {
    }

    /** Answers {@code status} with the message and reason; the caller closes the exchange. */
    static void send(HttpExchange exchange, int status, String message, String reason) throws IOException {
        HttpResponses.json(exchange, status, JsonNodeFactory.instance.objectNode().put("error", message).put("reason", reason));
    }
}
