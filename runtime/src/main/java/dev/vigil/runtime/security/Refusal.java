package dev.vigil.runtime.security;

import java.util.Locale;

/** Why a request was refused: the closed set of reasons counted and logged (never with the credential itself). */
public enum Refusal {
    /** Neither a bearer token nor a known client certificate: 401. */
    MISSING_CREDENTIALS,
    /** An {@code Authorization} header that is not {@code Bearer vgl_...}: 401. */
    MALFORMED_CREDENTIALS,
    /** No token with that id, or the secret does not match (the two are not told apart): 401. */
    UNKNOWN_TOKEN,
    /** The token's {@code expires} has passed: 401. */
    EXPIRED_TOKEN,
    /** The token is marked {@code revoked: true}: 401. */
    REVOKED_TOKEN,
    /** A client certificate whose subject the access file does not list: 401. */
    UNKNOWN_CERTIFICATE,
    /** Authenticated, but without the role the route needs: 403. */
    MISSING_ROLE,
    /**
     * The client's address failed to authenticate too often lately ({@code http.auth.failures.limit} per window): 429 with
     * {@code Retry-After}, its credential not even looked at.
     */
    TOO_MANY_FAILURES;

    /** Its label in metrics and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status it is answered with. */
    public int status() {
        return switch (this) {
            case MISSING_ROLE -> 403;
            case TOO_MANY_FAILURES -> 429;
            default -> 401;
        };
    }
}
