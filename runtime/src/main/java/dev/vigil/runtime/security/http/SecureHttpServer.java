package dev.vigil.runtime.security.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import dev.vigil.runtime.security.Principal;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one way Vigil's HTTP servers are made: HTTP or HTTPS (optionally asking client certificates), every route behind
 * {@link RequestScreen} (plain paths, bounded bodies) and {@link AuthFilter} with the role it needs, failed
 * authentications limited per client address ({@link HttpLimits}). A server bound beyond loopback without an access file is refused; on
 * loopback without one it serves unauthenticated, as {@code vigil dev} and the tests need, and says so once.
 * <p>
 * The caller sets the executor, adds routes with {@link #route}, then starts and stops {@link #server()}.
 */
public final class SecureHttpServer {

    private static final Logger log = LoggerFactory.getLogger(SecureHttpServer.class);

    private final HttpServer server;
    private final AccessControl control;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final HttpLimits limits;
    private final AuthFailureLimiter failures;
    /** The catch-all 404 route, until a caller routes {@code /} itself (the console does). */
    private HttpContext unrouted;

    private SecureHttpServer(HttpServer server, AccessControl control, MeterRegistry metrics, Clock clock, HttpLimits limits) {
        this.server = server;
        this.control = control;
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
        unrouted.getFilters().add(new AuthFilter(RouteAccess.open(), control, clock, failures, metrics));
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
        } else if (!isLoopback(host)) {
            throw new ConfigException(CommonKeys.HTTP_HOST_NAME, host, "the " + name + " would serve " + host
                    + " without authentication; set " + CommonKeys.HTTP_ACCESS_FILE.name() + " to an access file with tokens or "
                    + "certificates (docs/security.md; `vigil token create` makes a token), or bind 127.0.0.1");
        } else {
            log.warn("The {}'s HTTP endpoint on {} is unauthenticated (loopback only); set {} to require tokens", name, host,
                    CommonKeys.HTTP_ACCESS_FILE.name());
        }
        if (security.clientAuth() != HttpSecurity.ClientAuth.NONE && (security.truststore().isEmpty() || control == null)) {
            throw new ConfigException(CommonKeys.HTTP_TLS_CLIENT_AUTH.name(), security.clientAuth().name().toLowerCase(java.util.Locale.ROOT),
                    "client certificates need " + CommonKeys.HTTP_TLS_TRUSTSTORE.name() + " and " + CommonKeys.HTTP_ACCESS_FILE.name());
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        HttpServer server;
        if (security.keystore().isPresent()) {
            HttpsServer https = HttpsServer.create(address, backlog);
            https.setHttpsConfigurator(configurator(security));
            server = https;
        } else {
            if (control != null && !isLoopback(host)) {
                log.warn("The {}'s HTTP endpoint on {} takes tokens over plain HTTP; set {} to serve HTTPS", name, host,
                        CommonKeys.HTTP_TLS_KEYSTORE.name());
            }
            server = HttpServer.create(address, backlog);
        }
        return new SecureHttpServer(server, control, metrics, clock, security.limits());
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
        context.getFilters().add(new AuthFilter(access, control, clock, failures, metrics));
        return context;
    }

    public HttpServer server() {
        return server;
    }

    /** Whether requests must authenticate (an access file is set). */
    public boolean authenticating() {
        return control != null;
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return server instanceof HttpsServer ? "https" : "http";
    }

    /** Who made {@code exchange}, once a route that needs a role admitted it; empty on open routes and unauthenticated servers. */
    public static Optional<Principal> principal(HttpExchange exchange) {
        return exchange instanceof AuthenticatedExchange authenticated ? Optional.of(authenticated.principal()) : Optional.empty();
    }

    /** Whether {@code host} names a loopback address (what may be served without an access file). */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static HttpsConfigurator configurator(HttpSecurity security) {
        SSLContext context;
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(security.keystore().get(), security.keystorePassword(), CommonKeys.HTTP_TLS_KEYSTORE.name()),
                    security.keystorePassword().toCharArray());
            TrustManagerFactory trust = null;
            if (security.truststore().isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(keyStore(security.truststore().get(), security.truststorePassword(), CommonKeys.HTTP_TLS_TRUSTSTORE.name()));
            }
            context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(CommonKeys.HTTP_TLS_KEYSTORE.name(), security.keystore().get().toString(), "cannot be used: " + e.getMessage());
        }
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                switch (security.clientAuth()) {
                    case NEED -> parameters.setNeedClientAuth(true);
                    case WANT -> parameters.setWantClientAuth(true);
                    case NONE -> {
                    }
                }
                params.setSSLParameters(parameters);
            }
        };
    }

    private static KeyStore keyStore(Path path, String password, String key) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, path.toString(), "cannot be read as a PKCS12 store: " + e.getMessage());
        }
    }
}
