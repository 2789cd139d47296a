package dev.vigil.runtime.security.http;

import java.util.Locale;

/**
 * Why a request was refused before any credential was looked at: the closed set counted as
 * {@code vigil_http_requests_refused_total{reason}} and logged.
 */
public enum RequestRefusal {
    /**
     * A path with {@code .} or {@code ..} segments, an empty segment ({@code //}), a backslash, a control character, an
     * encoded dot, slash, backslash or NUL ({@code %2e}, {@code %2f}, {@code %5c}, {@code %00}, also encoded twice): 400.
     */
    BAD_PATH(400),
    /** A body over the route's limit, told by its {@code Content-Length} or found while it is read (chunked): 413. */
    BODY_TOO_LARGE(413);

    private final int status;

    RequestRefusal(int status) {
        this.status = status;
    }

    /** Its label in metrics and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The HTTP status it is answered with. */
    public int status() {
        return status;
    }
}
