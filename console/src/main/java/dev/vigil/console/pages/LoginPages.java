package dev.vigil.console.pages;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.console.ConsoleMetrics;
import dev.vigil.console.auth.ConsoleUser;
import dev.vigil.console.auth.LocalLogin;
import dev.vigil.console.auth.LoginThrottle;
import dev.vigil.console.auth.Session;
import dev.vigil.console.auth.ConsoleCookie;
import dev.vigil.console.auth.SessionStore;
import dev.vigil.console.web.Html;
import dev.vigil.console.web.Layout;
import dev.vigil.console.web.Request;
import dev.vigil.console.web.Response;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.Role;

/**
 * {@code /login} and {@code /logout}. A login checks the throttle first (a locked name or address is refused without looking
 * at the password), then the password; success starts a new session with a new id, failure is counted and logged with the
 * name and address, never the password. Every rendering of the form carries a new CSRF token, also set in the login form
 * cookie; the console takes a login only when the two agree. Logout ends the session on the server, so its cookie is worth nothing after.
 */
public final class LoginPages {

    private static final Logger log = LoggerFactory.getLogger(LoginPages.class);
    private static final int MAX_FIELD = 256;

    private final AccessControl access;
    private final LocalLogin login;
    private final LoginThrottle throttle;
    private final SessionStore sessions;
    private final ConsoleCookie cookie;
    private final ConsoleCookie formCookie;
    private final ConsoleMetrics metrics;
    private final Clock clock;

    public LoginPages(AccessControl access, LocalLogin login, LoginThrottle throttle, SessionStore sessions, ConsoleCookie cookie,
                      ConsoleCookie formCookie, ConsoleMetrics metrics, Clock clock) {
        this.access = Objects.requireNonNull(access, "access can't be null");
        this.login = Objects.requireNonNull(login, "login can't be null");
        this.throttle = Objects.requireNonNull(throttle, "throttle can't be null");
        this.sessions = Objects.requireNonNull(sessions, "sessions can't be null");
        this.cookie = Objects.requireNonNull(cookie, "cookie can't be null");
        this.formCookie = Objects.requireNonNull(formCookie, "formCookie can't be null");
        this.metrics = Objects.requireNonNull(metrics, "metrics can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    public Response form(Request request) {
        if (request.user().isPresent()) {
            return Response.redirect("/alerts");
        }
        return page(request, 200, null, "");
    }

    public Response submit(Request request) {
        String username = request.field("username").strip();
        char[] password = request.field("password").toCharArray();
        try {
            if (username.isEmpty() || username.length() > MAX_FIELD || password.length == 0 || password.length > MAX_FIELD) {
                return refused(request, username, "Give your user name and password.", 400);
            }
            Optional<Instant> locked = throttle.lockedUntil(username, request.address());
            if (locked.isPresent()) {
                metrics.login("locked").increment();
                log.warn("Refused a login as {} from {}: locked out until {} after repeated failures", clean(username), request.address(), locked.get());
                long seconds = Math.max(1, Duration.between(clock.instant(), locked.get()).toSeconds());
                return refused(request, username, "Too many failed logins; try again in " + seconds + " s.", 429);
            }
            Optional<ConsoleUser> user = login.check(access.current(), username, password);
            if (user.isEmpty() || !user.get().has(Role.VIEWER)) {
                metrics.login("failed").increment();
                boolean lockedNow = throttle.failed(username, request.address());
                log.warn("Failed login as {} from {}{}", clean(username), request.address(),
                        user.isPresent() ? ": no role that may use the console" : lockedNow ? "; locked out now" : "");
                return refused(request, username, "Wrong user name or password.", 401);
            }
            throttle.succeeded(username);
            request.session().ifPresent(old -> sessions.invalidate(old.id())); // never carry a session across a login
            Session session = sessions.create(user.get());
            metrics.login("ok").increment();
            log.info("{} logged in from {}", user.get().name(), request.address());
            return Response.redirect("/alerts").with("Set-Cookie", cookie.set(session.id()));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    public Response logout(Request request) {
        request.session().ifPresent(session -> {
            sessions.invalidate(session.id());
            log.info("{} logged out", session.user().name());
        });
        return Response.redirect("/login").with("Set-Cookie", cookie.expired());
    }

    private Response refused(Request request, String username, String why, int status) {
        return page(request, status, why, username);
    }

    /** The login page, with a new CSRF token in its form and in the login form cookie. */
    private Response page(Request request, int status, String error, String username) {
        String token = SessionStore.random();
        return Response.html(status, Layout.page(request, "Log in", form(error, username, token))).with("Set-Cookie", formCookie.set(token));
    }

    private static Html form(String error, String username, String token) {
        Html form = new Html();
        if (error != null) {
            form.element("p", error, "class", "error", "role", "alert");
        }
        form.open("form", "id", "login", "method", "post", "action", "/login");
        form.empty("input", "type", "hidden", "name", "csrf", "value", token);
        form.open("label").text("User name ").empty("input", "name", "username", "autocomplete", "username", "required?", "",
                "value", username).close("label");
        form.open("label").text("Password ").empty("input", "name", "password", "type", "password", "autocomplete", "current-password",
                "required?", "").close("label");
        return form.element("button", "Log in", "type", "submit").close("form");
    }

    private static String clean(String value) {
        String clean = value.replaceAll("[^A-Za-z0-9._@-]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
