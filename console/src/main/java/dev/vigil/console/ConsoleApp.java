package dev.vigil.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.console.auth.Authenticator;
import dev.vigil.console.auth.LocalLogin;
import dev.vigil.console.auth.LoginThrottle;
import dev.vigil.console.auth.OidcVerifier;
import dev.vigil.console.auth.ConsoleCookie;
import dev.vigil.console.auth.SessionStore;
import dev.vigil.console.data.AlertQueries;
import dev.vigil.console.data.RemediationTrail;
import dev.vigil.console.pages.AlertsPage;
import dev.vigil.console.pages.ApprovalsPage;
import dev.vigil.console.pages.AuditPage;
import dev.vigil.console.pages.LoginPages;
import dev.vigil.console.pages.SilencesPage;
import dev.vigil.console.web.Response;
import dev.vigil.console.web.Route;
import dev.vigil.remediation.OperatorRecords;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.Services;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.AccessFileException;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.SigningKeys;
import dev.vigil.runtime.security.http.RouteAccess;
import dev.vigil.runtime.security.http.SecureHttpServer;
import dev.vigil.sinks.clickhouse.ClickHouse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operator console: server-rendered pages over ClickHouse (alerts, samples) and Kafka (the audit trail, decisions,
 * silences), served by {@link SecureHttpServer} (so TLS and the binding rules are every service's), with its own login and
 * sessions. {@code main} only reads the settings and runs it until the JVM stops.
 */
public final class ConsoleApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleApp.class);

    private final SecureHttpServer http;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> resources;

    private ConsoleApp(SecureHttpServer http, ExecutorService executor, PrometheusMeterRegistry registry, List<AutoCloseable> resources) {
        this.http = http;
        this.executor = executor;
        this.registry = registry;
        this.resources = resources;
    }

    /** Starts the console; fails with a {@link ConfigException} naming the key when a setting cannot be served. */
    public static ConsoleApp start(ConsoleConfig config) throws IOException {
        Clock clock = Clock.systemUTC();
        Path accessFile = config.httpSecurity().accessFile().orElseThrow();
        AccessControl access;
        try {
            access = AccessControl.load(accessFile, AccessControl.DEFAULT_POLL, clock);
        } catch (AccessFileException e) {
            throw new ConfigException(CommonKeys.HTTP_ACCESS_FILE.name(), e.file().toString(), e.getMessage());
        }
        AccessFile first = access.current();
        if (first.users().stream().noneMatch(user -> user.password().isPresent()) && config.oidc().isEmpty()) {
            throw new ConfigException(CommonKeys.HTTP_ACCESS_FILE.name(), accessFile.toString(), "has no user with a password and OIDC is off: "
                    + "no one could log in; `vigil user add NAME --roles viewer --access-file FILE` adds one");
        }
        warnIfTheConsoleCannotSign(first, config.serviceName());
        PrivateKey serviceKey;
        try {
            serviceKey = SigningKeys.readPrivate(config.serviceKeyFile());
        } catch (IOException e) {
            throw new ConfigException(ConsoleKeys.SERVICE_KEY_FILE.name(), config.serviceKeyFile().toString(), e.getMessage());
        }

        List<AutoCloseable> resources = new ArrayList<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "vigil-console-http");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ClickHouse clickHouse = new ClickHouse(config.clickHouseUrl(), config.clickHouseUser(), config.clickHousePassword(),
                    config.clickHouseDatabase(), config.clickHouseTimeout());
            resources.add(clickHouse);
            RemediationTrail trail = new RemediationTrail(config.kafka(), config.registry());
            resources.add(trail);
            OperatorRecords records = new OperatorRecords(config.kafka(), config.registry());
            SecureHttpServer http = SecureHttpServer.create(config.httpHost(), config.httpPort(), 0, config.httpSecurity(), registry, "console");
            boolean tls = http.scheme().equals("https");

            SessionStore sessions = new SessionStore(clock, config.sessionTtl(), config.sessionIdle());
            ConsoleMetrics metrics = new ConsoleMetrics(registry, sessions);
            Optional<OidcVerifier> oidc = config.oidc().map(o -> new OidcVerifier(OidcVerifier.fromUrl(o.jwksUrl()), o.issuer(), o.audience(),
                    o.rolesClaim(), o.usernameClaim()));
            Authenticator authenticator = new Authenticator(sessions, access, oidc, clock,
                    problem -> metrics.oidcRefused(problem.name().toLowerCase(java.util.Locale.ROOT)).increment());
            AlertQueries alerts = new AlertQueries(clickHouse);
            LoginPages login = new LoginPages(access, new LocalLogin(), new LoginThrottle(clock, config.loginMaxFailures(), config.loginLockout()),
                    sessions, ConsoleCookie.session(tls), ConsoleCookie.loginForm(tls), metrics, clock);
            AlertsPage alertsPage = new AlertsPage(alerts);
            ApprovalsPage approvalsPage = new ApprovalsPage(trail, alerts, access,
                    new ConsoleApprovals(records, config.serviceName(), serviceKey, config.approvalValidFor(), clock), metrics, clock);
            SilencesPage silencesPage = new SilencesPage(records, clock);
            AuditPage auditPage = new AuditPage(trail, new AuditVerifier(config.auditKey()), config.checkpointsFile(), access);

            List<Route> routes = List.of(
                    Route.get("/", null, "root", (request, path) -> Response.redirect(request.user().isPresent() ? "/alerts" : "/login")),
                    Route.get("/login", null, "login", (request, path) -> login.form(request)),
                    Route.post("/login", null, "login", (request, path) -> login.submit(request)),
                    Route.post("/logout", null, "logout", (request, path) -> login.logout(request)),
                    Route.get("/alerts", Role.VIEWER, "alerts", (request, path) -> alertsPage.render(request)),
                    Route.get("/approvals", Role.VIEWER, "approvals", (request, path) -> approvalsPage.render(request)),
                    Route.post("/approvals/([0-9a-f]{1,64})", Role.APPROVER, "approve", approvalsPage::answer),
                    Route.get("/silences", Role.VIEWER, "silences", (request, path) -> silencesPage.render(request)),
                    Route.post("/silences", Role.OPERATOR, "silence-add", (request, path) -> silencesPage.add(request)),
                    Route.post("/silences/([A-Za-z0-9][A-Za-z0-9._:-]{0,127})/expire", Role.OPERATOR, "silence-expire", silencesPage::expire),
                    Route.get("/audit", Role.VIEWER, "audit", (request, path) -> auditPage.render(request)),
                    Route.get("/static/console.css", null, "static", (request, path) -> staticFile("console.css", "text/css; charset=utf-8")),
                    Route.get("/metrics", Role.VIEWER, "metrics", (request, path) -> Response.text(200, registry.scrape())),
                    Route.get("/healthz", null, "healthz", (request, path) -> Response.text(200, "UP")));
            // Every path is the console's: it authenticates by session or bearer credential itself (SecureHttpServer's filter
            // still adds its headers, and its TLS and binding rules apply).
            http.route("/", RouteAccess.open(), new ConsoleServer(routes, authenticator, metrics, tls));
            http.server().setExecutor(executor);
            http.server().start();
            log.info("Console on {}://{} as service principal {}", http.scheme(), address(http), config.serviceName());
            return new ConsoleApp(http, executor, registry, resources);
        } catch (IOException | RuntimeException e) {
            Services.closeInReverse(resources, log);
            executor.shutdownNow();
            throw e;
        }
    }

    private static void warnIfTheConsoleCannotSign(AccessFile access, String serviceName) {
        Optional<AccessFile.User> service = access.user(serviceName);
        if (service.isEmpty() || !Role.granted(service.get().roles(), Role.CONSOLE) || service.get().publicKey().isEmpty()) {
            log.warn("The access file has no user {} with the console role and a public_key: the remediation consumer will refuse every "
                    + "approval given here (docs/console.md)", serviceName);
        }
    }

    private static Response staticFile(String name, String type) {
        try (InputStream in = ConsoleApp.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                return Response.text(404, "not found");
            }
            return new Response(200, type, in.readAllBytes(), java.util.Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port} it listens on. */
    public String httpAddress() {
        return address(http);
    }

    /** Where a browser reaches it: {@code http://127.0.0.1:PORT} or https. */
    public String url() {
        return http.scheme() + "://" + httpAddress();
    }

    public PrometheusMeterRegistry metrics() {
        return registry;
    }

    private static String address(SecureHttpServer http) {
        InetSocketAddress address = http.server().getAddress();
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public void close() {
        http.server().stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Services.closeInReverse(resources, log);
        registry.close();
    }

    public static void main(String[] args) throws Exception {
        ConfigSource source = ConfigSource.load(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        Services.runUntilJvmStops("console", start(ConsoleConfig.from(source)));
    }
}
