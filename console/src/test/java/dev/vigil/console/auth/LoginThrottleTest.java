package dev.vigil.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 5, Duration.ofSeconds(30));

    @Test
    void shouldLockAUserNameOutForThirtySecondsAfterFiveFailures() {
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.failed("alice", "10.0.0." + i)).isFalse();
            assertThat(throttle.lockedUntil("alice", "10.0.0.99")).isEmpty();
        }

        assertThat(throttle.failed("alice", "10.0.0.4")).as("the fifth starts the lockout").isTrue();

        assertThat(throttle.lockedUntil("alice", "10.0.0.99")).contains(clock.instant().plusSeconds(30));
        assertThat(throttle.lockedUntil("bob", "10.0.0.99")).as("another user from another address").isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(throttle.lockedUntil("alice", "10.0.0.99")).isEmpty();
        assertThat(throttle.failed("alice", "10.0.0.5")).as("counting starts again").isFalse();
    }

    @Test
    void shouldLockAnAddressOutThatGuessesManyUsers() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }

        assertThat(throttle.lockedUntil("someone-else", "192.0.2.7")).isPresent();
        assertThat(throttle.lockedUntil("someone-else", "192.0.2.8")).isEmpty();
    }

    @Test
    void shouldForgetAUsersFailuresAfterASuccessfulLogin() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "10.0.0." + i);
        }
        throttle.succeeded("alice");

        assertThat(throttle.failed("alice", "10.0.1.1")).isFalse();
        assertThat(throttle.lockedUntil("alice", "10.0.1.2")).isEmpty();
    }
}
