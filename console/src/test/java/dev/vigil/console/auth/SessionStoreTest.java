package dev.vigil.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Role;

class SessionStoreTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final SessionStore store = new SessionStore(clock, Duration.ofHours(8), Duration.ofMinutes(30));
    private final ConsoleUser alice = new ConsoleUser(new Principal("alice", Set.of(Role.APPROVER)), "password");

    @Test
    void shouldGiveEachLoginAFreshUnguessableIdAndCsrfToken() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Session session = store.create(alice);
            assertThat(session.id()).hasSize(43).matches("[A-Za-z0-9_-]+"); // 256 bits, base64url
            assertThat(session.csrfToken()).hasSize(43).isNotEqualTo(session.id());
            assertThat(seen.add(session.id())).isTrue();
        }
        assertThat(store.find(null)).isEmpty();
        assertThat(store.find("planted-by-an-attacker")).isEmpty();
    }

    @Test
    void shouldEndASessionAfterItsIdleTimeWithoutRequests() {
        Session session = store.create(alice);

        clock.advance(Duration.ofMinutes(29));
        assertThat(store.find(session.id())).as("seen again within the idle time").contains(session);
        clock.advance(Duration.ofMinutes(29));
        assertThat(store.find(session.id())).as("each request restarts the idle time").contains(session);
        clock.advance(Duration.ofMinutes(30));
        assertThat(store.find(session.id())).as("30 minutes idle").isEmpty();
        clock.advance(Duration.ofMinutes(-59));
        assertThat(store.find(session.id())).as("dropped for good").isEmpty();
    }

    @Test
    void shouldEndABusySessionAtItsAbsoluteExpiry() {
        Session session = store.create(alice);
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(store.find(session.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(10)); // 8 hours after login

        assertThat(store.find(session.id())).isEmpty();
    }

    @Test
    void shouldMakeTheCookieWorthNothingAfterLogout() {
        Session session = store.create(alice);
        Session other = store.create(alice);

        store.invalidate(session.id());

        assertThat(store.find(session.id())).isEmpty();
        assertThat(store.find(other.id())).as("another session of the same user lives on").isPresent();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void shouldAcceptOnlyTheSessionsOwnCsrfToken() {
        Session session = store.create(alice);
        Session other = store.create(alice);

        assertThat(SessionStore.csrfMatches(session, session.csrfToken())).isTrue();
        assertThat(SessionStore.csrfMatches(session, other.csrfToken())).as("another session's token").isFalse();
        assertThat(SessionStore.csrfMatches(session, null)).isFalse();
        assertThat(SessionStore.csrfMatches(session, "")).isFalse();
        assertThat(SessionStore.csrfMatches(session, session.csrfToken() + "x")).isFalse();
    }

    @Test
    void shouldHandAFlashMessageToOnePageOnly() {
        Session session = store.create(alice);
        session.flash("Approved d1");

        assertThat(session.takeFlash()).isEqualTo("Approved d1");
        assertThat(session.takeFlash()).isNull();
    }

    @Test
    void shouldWriteACookieScriptsAndOtherSitesCannotUse() {
        assertThat(ConsoleCookie.session(true).set("abc")).isEqualTo("vigil_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
        assertThat(ConsoleCookie.session(false).set("abc")).isEqualTo("vigil_session=abc; Path=/; HttpOnly; SameSite=Strict");
        assertThat(ConsoleCookie.session(false).expired()).startsWith("vigil_session=; Path=/; Max-Age=0");
    }
}
