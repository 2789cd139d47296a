package dev.vigil.runtime.security.http;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import dev.vigil.runtime.security.Authentication;
import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Refusal;
import dev.vigil.runtime.security.RequestAuthenticator;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Untrusted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every request of a route passes here after {@link RequestScreen}: security headers on every answer; then, unless the route
 * is open, a bearer token or a verified client certificate becomes a {@link Principal}, whose roles must grant the route's.
 * A refusal is answered 401 (with {@code WWW-Authenticate: Bearer}), 403, or 429 (with {@code Retry-After}) for an address
 * that failed too often lately ({@link AuthFailureLimiter}), counted as {@code vigil_http_auth_refused_total{reason}} and
 * logged with its reason, never with the credential.
 */
final class AuthFilter extends Filter {

    private static final Logger log = LoggerFactory.getLogger(AuthFilter.class);

    private final RouteAccess access;
    private final RequestAuthenticator authenticator;
    private final Clock clock;
    private final AuthFailureLimiter failures;
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);

    /** @param authenticator null when the server runs unauthenticated on loopback */
    AuthFilter(RouteAccess access, RequestAuthenticator authenticator, Clock clock, AuthFailureLimiter failures, MeterRegistry metrics) {
        this.access = access;
        this.authenticator = authenticator;
        this.clock = clock;
        this.failures = failures;
        for (Refusal reason : Refusal.values()) {
            refused.put(reason, Counter.builder("vigil.http.auth.refused").description("HTTP requests refused authentication or authorization")
                    .tag("reason", reason.label()).register(metrics));
        }
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        securityHeaders(exchange);
        Role needed = access.required(exchange.getRequestMethod());
        if (needed == null || authenticator == null) {
            chain.doFilter(exchange);
            return;
        }
        InetAddress address = exchange.getRemoteAddress().getAddress();
        Duration wait = failures.retryAfter(address, clock.instant());
        if (!wait.isZero()) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
            refuse(exchange, Refusal.TOO_MANY_FAILURES, null, needed);
            return;
        }
        Authentication authentication = authenticator.authorize(exchange.getRequestHeaders().getFirst("Authorization"),
                DelegatingExchange.sslSession(exchange), needed);
        if (authentication instanceof Authentication.Refused refusal) {
            if (refusal.reason() != Refusal.MISSING_ROLE) {
                failures.failed(address, clock.instant());
            }
            refuse(exchange, refusal.reason(), refusal.principal().orElse(null), needed);
            return;
        }
        chain.doFilter(new AuthenticatedExchange(exchange, ((Authentication.Authenticated) authentication).principal()));
    }

    private void refuse(HttpExchange exchange, Refusal reason, Principal principal, Role needed) throws IOException {
        try (exchange) {
            refused.get(reason).increment();
            log.warn("Refused {} {} from {}: {}{}", Untrusted.quote(exchange.getRequestMethod()), Untrusted.quote(exchange.getRequestURI().getRawPath()),
                    exchange.getRemoteAddress().getAddress().getHostAddress(), reason.label(),
                    principal == null ? "" : " (" + principal.name() + " lacks role " + needed.id() + ")");
            String message = switch (reason) {
                case MISSING_ROLE -> "this needs the role " + needed.id();
                case TOO_MANY_FAILURES -> "too many failed authentications from your address; retry after Retry-After seconds";
                default -> "authenticate with a bearer token (Authorization: Bearer vgl_...) or a client certificate";
            };
            if (reason.status() == 401) {
                exchange.getResponseHeaders().add("WWW-Authenticate", reason == Refusal.MISSING_CREDENTIALS ? "Bearer realm=\"vigil\""
                        : "Bearer realm=\"vigil\", error=\"invalid_token\"");
            }
            RefusalResponse.send(exchange, reason.status(), message, reason.label());
        }
    }

    @Override
    public String description() {
        return "Vigil authentication and authorization";
    }

    private static void securityHeaders(HttpExchange exchange) {
        var headers = exchange.getResponseHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        headers.set("Content-Security-Policy", "frame-ancestors 'none'");
        headers.set("X-Frame-Options", "DENY");
    }
}
