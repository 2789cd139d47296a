package dev.vigil.runtime.security.http;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed authentications per client address, in fixed windows: once an address has failed {@code limit} times in its
 * current window, it is refused until the window ends, without its credential being looked at, so guessing tokens costs
 * a window per {@code limit} guesses. One per server, shared by its routes and by another port of the same service that
 * checks the same credentials (the gateway's OTLP/gRPC, {@link SecureHttpServer#authFailures()}).
 * <p>
 * Cheap and bounded: a lookup and an increment under one lock, at most {@link #MAX_ADDRESSES} addresses kept, the least
 * recently seen dropped first. An attacker with more addresses than that can push an address out early (and so guess
 * again sooner), but cannot make the map grow.
 */
public final class AuthFailureLimiter {

    static final int MAX_ADDRESSES = 10_000;

    private final int limit;
    private final Duration window;
    private final Map<InetAddress, Window> windows = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Window> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** One address' failures since {@code start}. */
    private static final class Window {
        Instant start;
        int failures;

        Window(Instant start) {
            this.start = start;
        }
    }

    /** @param limit failures per window; 0 turns the limiter off */
    public AuthFailureLimiter(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    /** How long {@code address} must wait before it may try again, or {@link Duration#ZERO} if it may try now. */
    public synchronized Duration retryAfter(InetAddress address, Instant now) {
        if (limit == 0) {
            return Duration.ZERO;
        }
        Window current = windows.get(address);
        if (current == null || current.failures < limit) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, current.start.plus(window));
        return left.isNegative() || left.isZero() ? Duration.ZERO : left;
    }

    /** Counts a failed authentication of {@code address}. */
    public synchronized void failed(InetAddress address, Instant now) {
        if (limit == 0) {
            return;
        }
        Window current = windows.computeIfAbsent(address, a -> new Window(now));
        if (!now.isBefore(current.start.plus(window))) {
            current.start = now;
            current.failures = 0;
        }
        current.failures++;
    }

    synchronized int addresses() {
        return windows.size();
    }
}
