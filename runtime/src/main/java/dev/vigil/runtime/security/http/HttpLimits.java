package dev.vigil.runtime.security.http;

import java.time.Duration;
import java.util.Objects;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigValues;

/**
 * What one client may send a service's HTTP endpoint: the largest request body, and how many failed authentications one
 * client address may make per window before it is answered 429.
 *
 * @param maxBodyBytes       the largest body of a route that sets none of its own ({@code http.max.body.size})
 * @param authFailures       failed authentications per address and window; 0 turns the limit off
 * @param authFailureWindow  the window
 */
public record HttpLimits(long maxBodyBytes, int authFailures, Duration authFailureWindow) {

    /** The defaults of {@link CommonKeys#HTTP_SECURITY}: 1 MiB, 20 failures a minute. */
    public static final HttpLimits DEFAULT = new HttpLimits(1L << 20, 20, Duration.ofMinutes(1));

    public HttpLimits {
        Objects.requireNonNull(authFailureWindow, "authFailureWindow can't be null");
        if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 and 2^31 - 1: " + maxBodyBytes);
        }
        if (authFailures < 0 || authFailureWindow.isNegative() || authFailureWindow.isZero()) {
            throw new IllegalArgumentException("authFailures must not be negative nor the window empty");
        }
    }

    static HttpLimits from(ConfigValues values) {
        return new HttpLimits(values.get(CommonKeys.HTTP_MAX_BODY_SIZE), values.get(CommonKeys.HTTP_AUTH_FAILURES_LIMIT),
                values.get(CommonKeys.HTTP_AUTH_FAILURES_WINDOW));
    }
}
