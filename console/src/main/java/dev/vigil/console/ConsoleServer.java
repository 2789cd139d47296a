package dev.vigil.console;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import dev.vigil.console.auth.Authenticator;
import dev.vigil.console.auth.ConsoleUser;
import dev.vigil.console.auth.Session;
import dev.vigil.console.auth.ConsoleCookie;
import dev.vigil.console.auth.SessionStore;
import dev.vigil.console.web.Forms;
import dev.vigil.console.web.Layout;
import dev.vigil.console.web.Request;
import dev.vigil.console.web.Response;
import dev.vigil.console.web.Route;

/**
 * Every console request passes here, behind {@code SecureHttpServer}'s filter (which adds its own headers and, for
 * {@code /metrics}, nothing more: the console authenticates itself, by session or bearer credential). In order: the route;
 * for a POST, a foreign {@code Origin} is refused; who is calling; the role the route needs; for a POST of a session, its
 * CSRF token, and for a POST of nobody (the login form) the token of the login form's cookie, so that another site cannot
 * log a browser in as someone else; then the page. Every answer carries the security headers, and its time is measured.
 */
final class ConsoleServer implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);

    private final List<Route> routes;
    private final Authenticator authenticator;
    private final ConsoleMetrics metrics;
    private final boolean tls;

    ConsoleServer(List<Route> routes, Authenticator authenticator, ConsoleMetrics metrics, boolean tls) {
        this.routes = List.copyOf(routes);
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator can't be null");
        this.metrics = Objects.requireNonNull(metrics, "metrics can't be null");
        this.tls = tls;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String page = "none";
        try (exchange) {
            Response response;
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            Optional<Route> route = routes.stream().filter(r -> r.method().equals(method) && r.path().matcher(path).matches()).findFirst();
            try {
                if (route.isEmpty()) {
                    boolean otherMethod = routes.stream().anyMatch(r -> r.path().matcher(path).matches());
                    response = otherMethod ? Response.text(405, "method not allowed") : Response.text(404, "not found");
                } else {
                    page = route.get().name();
                    response = answer(exchange, route.get(), method, path);
                }
            } catch (Forms.TooLarge e) {
                response = Response.text(413, e.getMessage());
            } catch (Exception e) {
                log.error("The console failed to answer {} {}", method, path, e);
                response = Response.text(500, "the console failed to answer; its log says why");
            }
            write(exchange, response);
        } finally {
            metrics.rendered(page, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Response answer(HttpExchange exchange, Route route, String method, String path) throws Exception {
        String address = exchange.getRemoteAddress().getAddress().getHostAddress();
        boolean post = method.equals("POST");
        if (post && foreignOrigin(exchange)) {
            metrics.csrfRefused("origin").increment();
            log.warn("Refused POST {} from {}: Origin {} is not this console's", path, address, clean(exchange.getRequestHeaders().getFirst("Origin")));
            return forbidden("This form came from another site.");
        }
        Optional<Session> session = authenticator.session(ConsoleCookie.session(tls).read(exchange.getRequestHeaders()));
        Optional<ConsoleUser> user = session.map(Session::user);
        if (user.isEmpty()) {
            user = authenticator.bearer(exchange.getRequestHeaders().getFirst("Authorization"));
        }
        Map<String, String> form = post ? Forms.read(exchange.getRequestBody()) : Map.of();
        Request request = new Request(method, path, Forms.parse(exchange.getRequestURI().getRawQuery()), form, session, user, address);
        if (route.needs() != null) {
            if (user.isEmpty()) {
                return Response.redirect("/login");
            }
            if (!user.get().has(route.needs())) {
                metrics.forbidden().increment();
                log.warn("Refused {} {} from {}: {} lacks role {}", method, path, address, user.get().name(), route.needs().id());
                return forbidden("This needs the role " + route.needs().id() + ".");
            }
        }
        // A bearer credential needs no token: a browser never attaches one by itself, so another site cannot send it.
        if (post && (session.isPresent() || user.isEmpty())) {
            String presented = form.get("csrf");
            String expected = session.isPresent() ? session.get().csrfToken()
                    : ConsoleCookie.loginForm(tls).read(exchange.getRequestHeaders());
            if (!SessionStore.tokensMatch(expected, presented)) {
                String reason = presented == null || presented.isEmpty() ? "missing" : "wrong";
                metrics.csrfRefused(reason).increment();
                log.warn("Refused POST {} from {} ({}): CSRF token {}", path, address,
                        session.map(s -> s.user().name()).orElse("no session"), reason);
                return forbidden("The form's security token is " + reason + "; reload the page and try again.");
            }
        }
        Matcher matcher = route.path().matcher(path);
        if (!matcher.matches()) {
            throw new IllegalStateException("the route matched a moment ago");
        }
        return route.action().answer(request, matcher);
    }

    /** Whether a POST says it came from another origin than this console (absent: a same-origin form of an older browser, or a script). */
    private boolean foreignOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (origin == null) {
            return false;
        }
        return host == null || !origin.equalsIgnoreCase((tls ? "https://" : "http://") + host);
    }

    static Response forbidden(String why) {
        return Response.html(403, Layout.forbidden(why, "/alerts"));
    }

    private void write(HttpExchange exchange, Response response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        // Not no-referrer: under it a browser sends "Origin: null" with the console's own forms, which the Origin check must
        // refuse. same-origin keeps URLs from leaving the console and lets its forms say where they come from.
        headers.set("Referrer-Policy", "same-origin");
        headers.set("Cache-Control", "no-store");
        if (tls) {
            headers.set("Strict-Transport-Security", "max-age=31536000");
        }
        headers.set("Content-Type", response.contentType());
        response.headers().forEach(headers::set);
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** What a request says, fit for a log line: no control characters, at most 100 characters. */
    static String clean(String value) {
        if (value == null) {
            return "(none)";
        }
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
