package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.console.auth.Authenticator;
import dev.vigil.console.auth.ConsoleUser;
import dev.vigil.console.auth.Session;
import dev.vigil.console.auth.SessionStore;
import dev.vigil.console.web.Response;
import dev.vigil.console.web.Route;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The checks every request passes before a page: Origin, authentication, role, CSRF; and the headers of every answer. */
class ConsoleServerTest {

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SessionStore sessions = new SessionStore(Clock.systemUTC(), Duration.ofHours(8), Duration.ofMinutes(30));
    private final AtomicInteger answered = new AtomicInteger();
    private ConsoleServer server;
    private Session viewer;
    private Session approver;

    @BeforeEach
    void server() throws Exception {
        Path access = dir.resolve("access.yaml");
        Files.writeString(access, "users:\n  - {name: alice, roles: [approver]}\n", StandardCharsets.UTF_8);
        ConsoleMetrics metrics = new ConsoleMetrics(registry, sessions);
        Authenticator authenticator = new Authenticator(sessions, AccessControl.load(access, Duration.ofSeconds(3), Clock.systemUTC()),
                Optional.empty(), Clock.systemUTC(), problem -> { });
        Route.Action ok = (request, path) -> {
            answered.incrementAndGet();
            return Response.text(200, "done");
        };
        server = new ConsoleServer(List.of(Route.get("/page", Role.VIEWER, "page", ok), Route.post("/act", Role.APPROVER, "act", ok),
                Route.post("/login", null, "login", ok)), authenticator, metrics, false);
        viewer = sessions.create(new ConsoleUser(new Principal("victor", Set.of(Role.VIEWER)), "password"));
        approver = sessions.create(new ConsoleUser(new Principal("alice", Set.of(Role.APPROVER)), "password"));
    }

    private FakeExchange send(FakeExchange exchange) throws IOException {
        server.handle(exchange);
        return exchange;
    }

    private static FakeExchange post(String path, Session session, String form) {
        FakeExchange exchange = new FakeExchange("POST", path, form);
        return session == null ? exchange : exchange.header("Cookie", "theme=dark; vigil_session=" + session.id());
    }

    private double csrfRefused(String reason) {
        return registry.counter("vigil.console.csrf.refused", "reason", reason).count();
    }

    @Test
    void shouldRunAPostOfASessionOnlyWithItsCsrfToken() throws IOException {
        assertThat(send(post("/act", approver, "decision=approve")).status()).isEqualTo(403);
        assertThat(send(post("/act", approver, "csrf=" + viewer.csrfToken())).status()).as("another session's token").isEqualTo(403);
        assertThat(send(post("/act", approver, "csrf=")).status()).isEqualTo(403);
        assertThat(answered).hasValue(0);
        assertThat(csrfRefused("missing")).isEqualTo(2);
        assertThat(csrfRefused("wrong")).isEqualTo(1);

        assertThat(send(post("/act", approver, "csrf=" + approver.csrfToken())).status()).isEqualTo(200);
        assertThat(answered).hasValue(1);
    }

    @Test
    void shouldRefuseAPostFromAnotherOriginEvenWithTheRightToken() throws IOException {
        FakeExchange foreign = post("/act", approver, "csrf=" + approver.csrfToken()).header("Origin", "https://evil.example");
        FakeExchange same = post("/act", approver, "csrf=" + approver.csrfToken()).header("Origin", "http://console.test");

        assertThat(send(foreign).status()).isEqualTo(403);
        assertThat(csrfRefused("origin")).isEqualTo(1);
        assertThat(send(same).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseWhatTheUsersRolesDoNotAllowWith403() throws IOException {
        assertThat(send(post("/act", viewer, "csrf=" + viewer.csrfToken())).status()).isEqualTo(403);
        assertThat(registry.counter("vigil.console.forbidden").count()).isEqualTo(1);
        assertThat(answered).hasValue(0);
    }

    @Test
    void shouldSendSomeoneWithoutASessionToTheLoginPage() throws IOException {
        FakeExchange page = send(new FakeExchange("GET", "/page", ""));
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.getResponseHeaders().getFirst("Location")).isEqualTo("/login");
        sessions.invalidate(viewer.id());
        assertThat(send(new FakeExchange("GET", "/page", "").header("Cookie", "vigil_session=" + viewer.id())).status())
                .as("a logged-out session").isEqualTo(303);
        assertThat(send(post("/login", null, "username=a&password=b&csrf=t0ken").header("Cookie", "vigil_login=t0ken")).status())
                .as("the login form needs no session").isEqualTo(200);
    }

    @Test
    void shouldTakeALoginOnlyWithTheTokenOfTheLoginFormCookie() throws IOException {
        assertThat(send(post("/login", null, "username=a&password=b")).status()).as("no token, no cookie").isEqualTo(403);
        assertThat(send(post("/login", null, "username=a&password=b&csrf=t0ken")).status()).as("a token without its cookie").isEqualTo(403);
        assertThat(send(post("/login", null, "username=a&password=b&csrf=other").header("Cookie", "vigil_login=t0ken")).status())
                .as("a token that is not the cookie's").isEqualTo(403);
        assertThat(send(post("/login", null, "username=a&password=b&csrf=").header("Cookie", "vigil_login=")).status())
                .as("empty, both").isEqualTo(403);
        assertThat(answered).hasValue(0);
        assertThat(csrfRefused("missing")).isEqualTo(2);
        assertThat(csrfRefused("wrong")).isEqualTo(2);
    }

    @Test
    void shouldPutTheSecurityHeadersOnEveryAnswer() throws IOException {
        for (FakeExchange exchange : List.of(send(new FakeExchange("GET", "/page", "")), send(new FakeExchange("GET", "/nowhere", "")),
                send(post("/act", approver, "")))) {
            assertThat(exchange.getResponseHeaders().getFirst("Content-Security-Policy")).startsWith("default-src 'self'")
                    .contains("frame-ancestors 'none'");
            assertThat(exchange.getResponseHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
            assertThat(exchange.getResponseHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(exchange.getResponseHeaders().getFirst("Referrer-Policy")).isEqualTo("same-origin");
            assertThat(exchange.getResponseHeaders().getFirst("Cache-Control")).isEqualTo("no-store");
            assertThat(exchange.getResponseHeaders().getFirst("Strict-Transport-Security")).as("plain HTTP").isNull();
        }
    }

    @Test
    void shouldAnswer404And405WithoutRunningAnything() throws IOException {
        assertThat(send(new FakeExchange("GET", "/nowhere", "")).status()).isEqualTo(404);
        assertThat(send(new FakeExchange("DELETE", "/page", "")).status()).isEqualTo(405);
    }
}
