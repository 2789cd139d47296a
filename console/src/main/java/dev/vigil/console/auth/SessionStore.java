package dev.vigil.console.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions: a fresh 256-bit random id per login (never one the browser brought, so a planted id cannot be
 * fixed), each ending {@code ttl} after login or {@code idle} after its last request, whichever comes first, or at logout.
 * Only the store knows what an id means; the cookie carries nothing else.
 */
public final class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration ttl;
    private final Duration idle;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public SessionStore(Clock clock, Duration ttl, Duration idle) {
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
        this.ttl = Objects.requireNonNull(ttl, "ttl can't be null");
        this.idle = Objects.requireNonNull(idle, "idle can't be null");
    }

    /** A new session for {@code user}, with a new id and CSRF token. */
    public Session create(ConsoleUser user) {
        sweep();
        Session session = new Session(random(), random(), user, clock.instant());
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with {@code id}, marked as seen now; empty for an unknown, ended or expired one (which is dropped). */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.seen(now);
        return Optional.of(session);
    }

    /** Ends the session with {@code id} (logout): its cookie is worth nothing from now on. */
    public void invalidate(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Whether {@code presented} is the session's CSRF token (compared in constant time). */
    public static boolean csrfMatches(Session session, String presented) {
        return tokensMatch(session.csrfToken(), presented);
    }

    /** Whether {@code presented} is {@code expected}, compared in constant time; a missing or empty token matches nothing. */
    public static boolean tokensMatch(String expected, String presented) {
        return expected != null && !expected.isEmpty() && presented != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** Live sessions, for the gauge. */
    public int size() {
        return sessions.size();
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.createdAt().plus(ttl)) || !now.isBefore(session.lastSeen().plus(idle));
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(session -> expired(session, now));
    }

    /** 256 random bits, base64url without padding. */
    /** A new 256-bit random token, URL-safe: session ids and CSRF tokens. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
