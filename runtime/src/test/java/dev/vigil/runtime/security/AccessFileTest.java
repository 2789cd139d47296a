package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessFileTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    private final String good = Tokens.generate("good");
    private final String old = Tokens.generate("old");
    private final String gone = Tokens.generate("gone");

    @Test
    void shouldAuthenticateAGoodTokenWithItsRolesAndItsUsersApprovalScope() throws Exception {
        Authentication result = access().authenticateToken(good, NOW);

        assertThat(result).isInstanceOfSatisfying(Authentication.Authenticated.class, authenticated -> {
            assertThat(authenticated.principal().name()).isEqualTo("alice");
            assertThat(authenticated.principal().roles()).isEqualTo(Set.of(Role.OPERATOR));
            assertThat(authenticated.principal().approvals().rules()).containsExactly("restart-*");
        });
    }

    @Test
    void shouldRefuseAWrongSecretAndAnUnknownIdAlike() throws Exception {
        AccessFile access = access();
        String wrongSecret = Tokens.generate("good");

        assertThat(access.authenticateToken(wrongSecret, NOW)).isEqualTo(new Authentication.Refused(Refusal.UNKNOWN_TOKEN));
        assertThat(access.authenticateToken(Tokens.generate("nobody"), NOW)).isEqualTo(new Authentication.Refused(Refusal.UNKNOWN_TOKEN));
        assertThat(access.authenticateToken("hunter2", NOW)).isEqualTo(new Authentication.Refused(Refusal.MALFORMED_CREDENTIALS));
    }

    @Test
    void shouldRefuseExpiredAndRevokedTokens() throws Exception {
        AccessFile access = access();

        assertThat(access.authenticateToken(old, NOW)).isEqualTo(new Authentication.Refused(Refusal.EXPIRED_TOKEN));
        assertThat(access.authenticateToken(old, Instant.parse("2026-11-30T23:59:59Z"))).isInstanceOf(Authentication.Authenticated.class);
        assertThat(access.authenticateToken(gone, NOW)).isEqualTo(new Authentication.Refused(Refusal.REVOKED_TOKEN));
    }

    @Test
    void shouldTellRevocationOnlyToTheHolderOfTheSecret() throws Exception {
        assertThat(access().authenticateToken(Tokens.generate("gone"), NOW)).isEqualTo(new Authentication.Refused(Refusal.UNKNOWN_TOKEN));
    }

    @Test
    void shouldAuthenticateListedCertificatesOnly() throws Exception {
        AccessFile access = access();

        assertThat(access.authenticateCertificate(new X500Principal("CN=collector-1,O=Vigil")))
                .isEqualTo(new Authentication.Authenticated(new Principal("collector-1", Set.of(Role.PUBLISHER))));
        assertThat(access.authenticateCertificate(new X500Principal("CN=stranger,O=Vigil")))
                .isEqualTo(new Authentication.Refused(Refusal.UNKNOWN_CERTIFICATE));
    }

    @Test
    void shouldReadTheFileAgainWhenItChangesAfterThePollInterval() throws Exception {
        Path file = dir.resolve("access.yaml");
        Files.writeString(file, yaml(false));
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        AccessControl control = AccessControl.load(file, Duration.ofSeconds(3), clock);
        assertThat(control.current().authenticateToken(good, NOW)).isInstanceOf(Authentication.Authenticated.class);

        Files.writeString(file, yaml(true));
        assertThat(control.current().authenticateToken(good, NOW)).as("before the poll interval").isInstanceOf(Authentication.Authenticated.class);
        now.set(NOW.plusSeconds(3));
        assertThat(control.current().authenticateToken(good, NOW)).isEqualTo(new Authentication.Refused(Refusal.REVOKED_TOKEN));

        Files.writeString(file, "tokens: [broken\n");
        now.set(NOW.plusSeconds(6));
        assertThat(control.current().authenticateToken(good, NOW)).as("a broken file keeps the last good one")
                .isEqualTo(new Authentication.Refused(Refusal.REVOKED_TOKEN));
    }

    private AccessFile access() throws Exception {
        return AccessFileParser.parse(Files.writeString(dir.resolve("access.yaml"), yaml(false)));
    }

    private String yaml(boolean goodRevoked) {
        return """
                users:
                  - name: alice
                    roles: [operator, approver]
                    approve: {rules: ["restart-*"]}
                tokens:
                  - id: good
                    principal: alice
                    roles: [operator]
                    sha256: %s
                    revoked: %s
                  - id: old
                    principal: bot
                    roles: [viewer]
                    sha256: %s
                    expires: 2026-12-01T00:00:00Z
                  - id: gone
                    principal: bot
                    roles: [viewer]
                    sha256: %s
                    revoked: true
                certificates:
                  - subject: "CN=collector-1,O=Vigil"
                    principal: collector-1
                    roles: [publisher]
                """.formatted(Tokens.sha256Hex(good), goodRevoked, Tokens.sha256Hex(old), Tokens.sha256Hex(gone));
    }
}
