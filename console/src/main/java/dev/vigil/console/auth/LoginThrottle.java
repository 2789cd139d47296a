package dev.vigil.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code maxFailures} failed logins of one user name, or from one address, further attempts
 * of that name or from that address are refused without checking the password until {@code lockout} has passed. Both
 * keys, because guessing one user's password comes from many addresses and guessing many users' from one.
 */
public final class LoginThrottle {

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Clock clock;
    private final int maxFailures;
    private final Duration lockout;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, int maxFailures, Duration lockout) {
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, not " + maxFailures);
        }
        this.maxFailures = maxFailures;
        this.lockout = Objects.requireNonNull(lockout, "lockout can't be null");
    }

    /** Until when logins of {@code username} or from {@code address} are refused, if they are now. */
    public Optional<Instant> lockedUntil(String username, String address) {
        Instant now = clock.instant();
        return java.util.stream.Stream.of(userKey(username), addressKey(address)).map(failures::get).filter(Objects::nonNull)
                .map(Failures::lockedUntil).filter(until -> until != null && until.isAfter(now)).max(Instant::compareTo);
    }

    /** Counts a failed login; returns whether it started a lockout. */
    public boolean failed(String username, String address) {
        boolean user = count(userKey(username));
        boolean from = count(addressKey(address));
        if (failures.size() > 100_000) {
            failures.clear(); // a flood of made-up names must not exhaust memory; the lockouts start again
        }
        return user || from;
    }

    /** A successful login forgets the user's failures (not the address's: one good password does not excuse other guesses). */
    public void succeeded(String username) {
        failures.remove(userKey(username));
    }

    private boolean count(String key) {
        Instant now = clock.instant();
        Failures after = failures.compute(key, (k, before) -> {
            int count = before == null || before.lockedUntil() != null && !before.lockedUntil().isAfter(now) ? 1 : before.count() + 1;
            return new Failures(count, count >= maxFailures ? now.plus(lockout) : null);
        });
        return after.count() == maxFailures;
    }

    private static String userKey(String username) {
        return "user:" + username;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
