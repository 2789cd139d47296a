package dev.vigil.console.auth;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.Authentication;

/**
 * Who is calling: a browser by its session cookie, or a client by {@code Authorization: Bearer}, either a Vigil token of the
 * access file ({@code vgl_...}, as every Vigil endpoint takes) or, when OIDC is configured, a JWT of the provider.
 */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final SessionStore sessions;
    private final AccessControl access;
    private final Optional<OidcVerifier> oidc;
    private final Clock clock;
    private final Consumer<OidcVerifier.Problem> oidcRefused;

    /** @param oidcRefused told of every JWT refused, for the metric */
    public Authenticator(SessionStore sessions, AccessControl access, Optional<OidcVerifier> oidc, Clock clock,
                         Consumer<OidcVerifier.Problem> oidcRefused) {
        this.sessions = Objects.requireNonNull(sessions, "sessions can't be null");
        this.access = Objects.requireNonNull(access, "access can't be null");
        this.oidc = Objects.requireNonNull(oidc, "oidc can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
        this.oidcRefused = Objects.requireNonNull(oidcRefused, "oidcRefused can't be null");
    }

    /** The live session the cookie names. */
    public Optional<Session> session(String cookie) {
        return sessions.find(cookie);
    }

    /** The user a bearer credential proves, if any. */
    public Optional<ConsoleUser> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String credential = authorization.substring(7).strip();
        if (credential.startsWith("vgl_")) {
            Authentication result = access.current().authenticateToken(credential, clock.instant());
            if (result instanceof Authentication.Authenticated authenticated) {
                return Optional.of(new ConsoleUser(authenticated.principal(), "token"));
            }
            log.warn("Refused a bearer token: {}", ((Authentication.Refused) result).reason().label());
            return Optional.empty();
        }
        if (oidc.isEmpty()) {
            return Optional.empty();
        }
        OidcVerifier.Result result = oidc.get().verify(credential);
        if (result instanceof OidcVerifier.Result.Valid valid) {
            return Optional.of(valid.user());
        }
        OidcVerifier.Result.Invalid invalid = (OidcVerifier.Result.Invalid) result;
        oidcRefused.accept(invalid.problem());
        log.warn("Refused a JWT: {} ({})", invalid.problem(), invalid.detail());
        return Optional.empty();
    }
}
