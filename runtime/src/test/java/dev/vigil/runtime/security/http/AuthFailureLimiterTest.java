package dev.vigil.runtime.security.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class AuthFailureLimiterTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void shouldRefuseAnAddressForTheRestOfTheWindowOnceItFailedLimitTimes() throws Exception {
        AuthFailureLimiter limiter = new AuthFailureLimiter(3, Duration.ofMinutes(1));
        InetAddress attacker = address("10.0.0.7");

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.retryAfter(attacker, T0.plusSeconds(i))).isZero();
            limiter.failed(attacker, T0.plusSeconds(i));
        }

        assertThat(limiter.retryAfter(attacker, T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(50));
        assertThat(limiter.retryAfter(address("10.0.0.8"), T0.plusSeconds(10))).as("another address").isZero();
        assertThat(limiter.retryAfter(attacker, T0.plusSeconds(60))).as("the window is over").isZero();
        limiter.failed(attacker, T0.plusSeconds(61));
        assertThat(limiter.retryAfter(attacker, T0.plusSeconds(62))).as("a new window, one failure").isZero();
    }

    @Test
    void shouldLetEveryAttemptThroughWhenTheLimitIsZero() throws Exception {
        AuthFailureLimiter limiter = new AuthFailureLimiter(0, Duration.ofMinutes(1));
        InetAddress attacker = address("10.0.0.7");
        for (int i = 0; i < 100; i++) {
            limiter.failed(attacker, T0);
        }

        assertThat(limiter.retryAfter(attacker, T0)).isZero();
        assertThat(limiter.addresses()).isZero();
    }

    @Test
    void shouldKeepAtMostMaxAddresses() throws Exception {
        AuthFailureLimiter limiter = new AuthFailureLimiter(1, Duration.ofMinutes(1));

        for (int i = 0; i < AuthFailureLimiter.MAX_ADDRESSES + 500; i++) {
            limiter.failed(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), T0);
        }

        assertThat(limiter.addresses()).isEqualTo(AuthFailureLimiter.MAX_ADDRESSES);
    }

    private static InetAddress address(String ip) throws UnknownHostException {
        return InetAddress.getByName(ip);
    }
}
