package dev.vigil.console.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A logged-in browser: its random id (the cookie), its CSRF token (the hidden {@code csrf} field of every form), who, since
 * when and when last seen; and a message for the next page (after a form's redirect).
 */
public final class Session {

    private final String id;
    private final String csrfToken;
    private final ConsoleUser user;
    private final Instant createdAt;
    private volatile Instant lastSeen;
    private final AtomicReference<String> flash = new AtomicReference<>();

    Session(String id, String csrfToken, ConsoleUser user, Instant createdAt) {
        this.id = Objects.requireNonNull(id, "id can't be null");
        this.csrfToken = Objects.requireNonNull(csrfToken, "csrfToken can't be null");
        this.user = Objects.requireNonNull(user, "user can't be null");
        this.createdAt = createdAt;
        this.lastSeen = createdAt;
    }

    public String id() {
        return id;
    }

    public String csrfToken() {
        return csrfToken;
    }

    public ConsoleUser user() {
        return user;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    void seen(Instant now) {
        lastSeen = now;
    }

    /** Leaves a message for the next page the session renders. */
    public void flash(String message) {
        flash.set(message);
    }

    /** The message left for this page, once. */
    public String takeFlash() {
        return flash.getAndSet(null);
    }

    @Override
    public String toString() {
        return "Session[" + user.name() + ", since " + createdAt + "]"; // never the id or the token
    }
}
