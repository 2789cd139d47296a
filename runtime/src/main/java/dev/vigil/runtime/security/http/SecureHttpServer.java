package dev.vigil.runtime.security.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

import javax.net.ssl.SSLParameters;

import org.apache.kafka.common.config.ConfigException;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.AccessFileException;
import dev.vigil.runtime.security.BindingRule;
import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.RequestAuthenticator;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one way Vigil's HTTP servers are made: HTTP or HTTPS (optionally asking client certificates), every route behind
 * {@link RequestScreen} (plain paths, bounded bodies) and {@link AuthFilter} with the role it needs, failed
 * authentications limited per client address ({@link HttpLimits}). Where it may bind is {@link BindingRule}'s: beyond loopback
 * only with an access file. Its TLS material and authenticator are read once and shared with the service's other
 * listeners ({@link #tls()}, {@link #authenticator()}).
 * <p>
 * The caller sets the executor, adds routes with {@link #route}, then starts and stops {@link #server()}.
 */
public final class SecureHttpServer {

    private final HttpServer server;
    private final RequestAuthenticator authenticator;
    private final Optional<TlsMaterial> tls;
    private final HttpSecurity.ClientAuth clientAuth;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final HttpLimits limits;
    private final AuthFailureLimiter failures;
    /** The catch-all 404 route, until a caller routes {@code /} itself (the console does). */
    private HttpContext unrouted;

    private SecureHttpServer(HttpServer server, RequestAuthenticator authenticator, Optional<TlsMaterial> tls,
                             HttpSecurity.ClientAuth clientAuth, MeterRegistry metrics, Clock clock, HttpLimits limits) {
        this.server = server;
        this.authenticator = authenticator;
        this.tls = tls;
        this.clientAuth = clientAuth;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = limits;
        this.failures = new AuthFailureLimiter(limits.authFailures(), limits.authFailureWindow());
        // Every path no route claims lands here rather than on the JDK's own 404, so that it is screened like the rest:
        // the JDK picks a route by the decoded path, and /v1//hosts or /v1/hosts%2F.. must be refused, not just not found.
        unrouted = server.createContext("/", exchange -> {
            try (exchange) {
                RefusalResponse.send(exchange, 404, "no such route", "not_found");
            }
        });
        unrouted.getFilters().add(new RequestScreen(limits.maxBodyBytes(), metrics));
        unrouted.getFilters().add(new AuthFilter(RouteAccess.open(), authenticator, clock, failures, metrics));
    }

    /**
     * Binds {@code host:port} as {@code security} says.
     *
     * @param name the service, for messages
     * @throws ConfigException naming the key when the settings cannot be served: beyond loopback without an access file,
     *                         an access file with an error (file:line: reason), a keystore that cannot be read
     */
    public static SecureHttpServer create(String host, int port, int backlog, HttpSecurity security, MeterRegistry metrics, String name)
            throws IOException {
        return create(host, port, backlog, security, metrics, name, AccessControl.DEFAULT_POLL, Clock.systemUTC());
    }

    /** As {@link #create(String, int, int, HttpSecurity, MeterRegistry, String)}, with the access file polled every {@code poll}. */
    public static SecureHttpServer create(String host, int port, int backlog, HttpSecurity security, MeterRegistry metrics, String name,
                                          java.time.Duration poll, Clock clock) throws IOException {
        AccessControl control = null;
        if (security.accessFile().isPresent()) {
            try {
                control = AccessControl.load(security.accessFile().get(), poll, clock);
            } catch (AccessFileException e) {
                throw new ConfigException(CommonKeys.HTTP_ACCESS_FILE.name(), e.file().toString(), e.getMessage());
            }
        }
        BindingRule.check(CommonKeys.HTTP_HOST_NAME, host, "the " + name, control != null, security.keystore().isPresent());
        if (security.clientAuth() != HttpSecurity.ClientAuth.NONE && (security.truststore().isEmpty() || control == null)) {
            throw new ConfigException(CommonKeys.HTTP_TLS_CLIENT_AUTH.name(), security.clientAuth().name().toLowerCase(java.util.Locale.ROOT),
                    "client certificates need " + CommonKeys.HTTP_TLS_TRUSTSTORE.name() + " and " + CommonKeys.HTTP_ACCESS_FILE.name());
        }
        Optional<TlsMaterial> tls = TlsMaterial.load(security);
        InetSocketAddress address = new InetSocketAddress(host, port);
        HttpServer server;
        if (tls.isPresent()) {
            HttpsServer https = HttpsServer.create(address, backlog);
            https.setHttpsConfigurator(configurator(tls.get(), security.clientAuth()));
            server = https;
        } else {
            server = HttpServer.create(address, backlog);
        }
        return new SecureHttpServer(server, control == null ? null : new RequestAuthenticator(control, clock), tls, security.clientAuth(),
                metrics, clock, security.limits());
    }

    /** Serves {@code path} with {@code handler}, to callers {@code access} admits, bodies up to {@code http.max.body.size}. */
    public HttpContext route(String path, RouteAccess access, HttpHandler handler) {
        return route(path, access, limits.maxBodyBytes(), handler);
    }

    /**
     * Serves {@code path} with {@code handler}, to callers {@code access} admits, with bodies of up to {@code maxBodyBytes}
     * (a route that takes more than the others, such as the collector's push).
     */
    public synchronized HttpContext route(String path, RouteAccess access, long maxBodyBytes, HttpHandler handler) {
        if (path.equals("/") && unrouted != null) {
            server.removeContext(unrouted); // the caller's own route takes every path no other route claims
            unrouted = null;
        }
        HttpContext context = server.createContext(path, handler);
        context.getFilters().add(new RequestScreen(maxBodyBytes, metrics));
        context.getFilters().add(new AuthFilter(access, authenticator, clock, failures, metrics));
        return context;
    }

    /** The failed authentications per client address this server counts and refuses on: for another port of the service. */
    public AuthFailureLimiter authFailures() {
        return failures;
    }

    public HttpServer server() {
        return server;
    }

    /** Whether requests must authenticate (an access file is set). */
    public boolean authenticating() {
        return authenticator != null;
    }

    /**
     * How this server authenticates, empty when it runs unauthenticated on loopback: another listener of the same service
     * (the gateway's OTLP/gRPC port) checks its callers against the same access file through it.
     */
    public Optional<RequestAuthenticator> authenticator() {
        return Optional.ofNullable(authenticator);
    }

    /** The TLS keys and trusted CAs it serves with, empty over plain HTTP: for the service's other listeners to serve the same. */
    public Optional<TlsMaterial> tls() {
        return tls;
    }

    /** Whether it asks client certificates. */
    public HttpSecurity.ClientAuth clientAuth() {
        return clientAuth;
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return server instanceof HttpsServer ? "https" : "http";
    }

    /** Who made {@code exchange}, once a route that needs a role admitted it; empty on open routes and unauthenticated servers. */
    public static Optional<Principal> principal(HttpExchange exchange) {
        return exchange instanceof AuthenticatedExchange authenticated ? Optional.of(authenticated.principal()) : Optional.empty();
    }

    private static HttpsConfigurator configurator(TlsMaterial tls, HttpSecurity.ClientAuth clientAuth) {
        return new HttpsConfigurator(tls.sslContext()) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setProtocols(TlsMaterial.PROTOCOLS.toArray(String[]::new));
                switch (clientAuth) {
                    case NEED -> parameters.setNeedClientAuth(true);
                    case WANT -> parameters.setWantClientAuth(true);
                    case NONE -> {
                    }
                }
                params.setSSLParameters(parameters);
            }
        };
    }
}
