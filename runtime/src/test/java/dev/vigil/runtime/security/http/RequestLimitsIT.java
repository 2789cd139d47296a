package dev.vigil.runtime.security.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;

import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.stack.RawHttp;
import dev.vigil.stack.RawHttp.Framing;
import dev.vigil.stack.RawHttp.Request;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The limits of {@link SecureHttpServer} on a real server, with requests written byte by byte: bodies over the limit
 * (declared, and chunked without a length), paths that are not plainly themselves, and an address that keeps failing to
 * authenticate.
 */
class RequestLimitsIT {

    private static final int LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final String operator = Tokens.generate("ops");
    private final AtomicInteger handled = new AtomicInteger();
    private SecureHttpServer server;

    @AfterEach
    void stop() {
        server.server().stop(0);
    }

    @Test
    void shouldAnswer413ToADeclaredLengthOverTheLimitWithoutWaitingForTheBody() throws Exception {
        start(new HttpLimits(LIMIT, 0, Duration.ofMinutes(1)));

        RawHttp.Answer answer = RawHttp.send(port(), post().withBody(new byte[LIMIT + 1], Framing.DECLARED_ONLY));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("body_too_large");
        assertThat(handled).hasValue(0);
        assertThat(requestsRefused("body_too_large")).isEqualTo(1);
    }

    @Test
    void shouldAnswer413ToAChunkedBodyOverTheLimitAndTakeOneAtTheLimit() throws Exception {
        start(new HttpLimits(LIMIT, 0, Duration.ofMinutes(1)));

        RawHttp.Answer over = RawHttp.send(port(), post().withBody(new byte[LIMIT + 16 * 1024], Framing.CHUNKED));
        RawHttp.Answer at = RawHttp.send(port(), post().withBody(new byte[LIMIT], Framing.CHUNKED));

        assertThat(over.status()).isEqualTo(413);
        assertThat(at.status()).isEqualTo(200);
        assertThat(at.body()).isEqualTo(Integer.toString(LIMIT));
        assertThat(handled).as("only the body within the limit was taken").hasValue(1);
        assertThat(requestsRefused("body_too_large")).isEqualTo(1);
    }

    @Test
    void shouldAnswer400ToPathsThatAreNotPlainlyThemselvesBeforeAskingForCredentials() throws Exception {
        start(HttpLimits.DEFAULT);

        for (String path : new String[] {"/echo/../metrics", "/echo/%2e%2e/metrics", "/echo%2f..%2fmetrics", "/echo/%252e%252e",
                "/echo/x%00", "/echo//x"}) {
            RawHttp.Answer answer = RawHttp.send(port(), Request.of("GET", path));
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.body()).contains("bad_path");
        }
        assertThat(requestsRefused("bad_path")).isEqualTo(6);
        assertThat(authRefused("missing_credentials")).isZero();
        assertThat(handled).hasValue(0);
    }

    @Test
    void shouldAnswer429WithRetryAfterOnceAnAddressFailedTooOftenEvenToAValidToken() throws Exception {
        start(new HttpLimits(LIMIT, 3, Duration.ofSeconds(2)));

        for (int i = 0; i < 3; i++) {
            assertThat(RawHttp.send(port(), get("Authorization: Bearer " + Tokens.generate("ops"))).status()).isEqualTo(401);
        }
        RawHttp.Answer blocked = RawHttp.send(port(), get("Authorization: Bearer " + operator));

        assertThat(blocked.status()).isEqualTo(429);
        assertThat(Integer.parseInt(blocked.header("Retry-After"))).isBetween(1, 2);
        assertThat(authRefused("unknown_token")).isEqualTo(3);
        assertThat(authRefused("too_many_failures")).isEqualTo(1);
        Thread.sleep(2_100);
        assertThat(RawHttp.send(port(), get("Authorization: Bearer " + operator)).status()).as("after the window").isEqualTo(200);
    }

    @Test
    void shouldAnswerUnroutedPaths404UntilTheCallerRoutesTheRootItself() throws Exception {
        start(HttpLimits.DEFAULT);
        RawHttp.Answer unrouted = RawHttp.send(port(), Request.of("GET", "/elsewhere", "Authorization: Bearer " + operator));
        assertThat(unrouted.status()).isEqualTo(404);
        assertThat(unrouted.body()).contains("not_found");

        // A service that serves every path itself (the console) routes "/": it must get them, screened like the rest.
        server.route("/", RouteAccess.readsOr(Role.OPERATOR), this::echo);

        assertThat(RawHttp.send(port(), Request.of("GET", "/elsewhere", "Authorization: Bearer " + operator)).status()).isEqualTo(200);
        assertThat(RawHttp.send(port(), Request.of("GET", "/elsewhere/../echo")).status()).isEqualTo(400);
        assertThat(handled).hasValue(1);
    }

    private void start(HttpLimits limits) throws IOException {
        Path access = Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: ops, principal: alice, roles: [operator], sha256: %s}
                """.formatted(Tokens.sha256Hex(operator)));
        server = SecureHttpServer.create("127.0.0.1", 0, 8, HttpSecurity.none().withAccessFile(access).withLimits(limits), metrics,
                "test service", Duration.ofMillis(100), Clock.systemUTC());
        server.route("/echo", RouteAccess.readsOr(Role.OPERATOR), this::echo);
        server.server().start();
    }

    /** Answers the length of the body it read. */
    private void echo(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            handled.incrementAndGet();
            byte[] answer = Integer.toString(body.length).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private Request post() {
        return Request.of("POST", "/echo", "Authorization: Bearer " + operator);
    }

    private static Request get(String header) {
        return Request.of("GET", "/echo", header);
    }

    private int port() {
        return server.server().getAddress().getPort();
    }

    private double requestsRefused(String reason) {
        return metrics.get("vigil.http.requests.refused").tag("reason", reason).counter().count();
    }

    private double authRefused(String reason) {
        return metrics.get("vigil.http.auth.refused").tag("reason", reason).counter().count();
    }
}
