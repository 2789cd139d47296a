package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessFileParserTest {

    private static final String HASH = Tokens.sha256Hex("vgl_ci_" + "A".repeat(43));
    private static final String PASSWORD = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    @TempDir
    Path dir;

    @Test
    void shouldReadUsersTokensAndCertificates() throws Exception {
        Path key = Files.writeString(dir.resolve("alice.pub"), "-----BEGIN PUBLIC KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        AccessFile access = AccessFileParser.parse(write("""
                users:
                  - name: alice
                    roles: [approver, operator]
                    password: "%s"
                    approve: {rules: ["restart-*"], host_labels: {env: staging}}
                    public_key: alice.pub
                tokens:
                  - id: ci
                    principal: alice
                    roles: [viewer]
                    sha256: %s
                    expires: 2027-01-31
                  - id: old
                    principal: bot
                    roles: [publisher]
                    sha256: %s
                    revoked: true
                certificates:
                  - subject: "CN=collector-1, O=Vigil"
                    principal: collector-1
                    roles: [publisher]
                """.formatted(PASSWORD, HASH, HASH)));

        AccessFile.User alice = access.user("alice").orElseThrow();
        assertThat(alice.roles()).containsExactlyInAnyOrder(Role.APPROVER, Role.OPERATOR);
        assertThat(alice.password()).contains(PASSWORD);
        assertThat(alice.approvals()).isEqualTo(new ApprovalScope(List.of("restart-*"), Map.of("env", "staging")));
        assertThat(alice.publicKey()).contains(key);
        assertThat(access.tokens().get("ci").expires()).contains(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(access.tokens().get("ci").roles()).isEqualTo(Set.of(Role.VIEWER));
        assertThat(access.tokens().get("old").revoked()).isTrue();
        assertThat(access.certificates().get(0).subject()).isEqualTo(new X500Principal("CN=collector-1,O=Vigil"));
    }

    @Test
    void shouldReadAnEmptyFileAsNoOne() throws Exception {
        assertThat(AccessFileParser.parse(write("# nobody yet\n")).tokens()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownRoleNamingItsLine() {
        refused("""
                users:
                  - name: bob
                    roles:
                      - viewer
                      - root
                """, 5, "unknown role 'root'; roles are viewer, operator, approver, admin, publisher, console");
    }

    @Test
    void shouldRefuseADuplicateUser() {
        refused("""
                users:
                  - name: bob
                    roles: [viewer]
                  - name: bob
                    roles: [admin]
                """, 4, "duplicate user 'bob' (first at line 2)");
    }

    @Test
    void shouldRefuseADuplicateTokenId() {
        refused("""
                tokens:
                  - {id: ci, principal: ci, roles: [viewer], sha256: %s}
                  - {id: ci, principal: ci, roles: [admin], sha256: %s}
                """.formatted(HASH, HASH), 3, "duplicate token id 'ci' (first at line 2)");
    }

    @Test
    void shouldRefuseATokenInClear() {
        refused("""
                tokens:
                  - id: ci
                    principal: ci
                    roles: [viewer]
                    sha256: vgl_ci_%s
                """.formatted("A".repeat(43)), 5, "token 'ci' is written in clear");
    }

    @Test
    void shouldRefuseAHashThatIsNot64HexDigits() {
        refused("""
                tokens:
                  - id: ci
                    principal: ci
                    roles: [viewer]
                    sha256: %s
                """.formatted(HASH.substring(1)), 5, "the sha256 of token 'ci' is not 64 lower-case hex digits");
    }

    @Test
    void shouldRefuseAPasswordThatIsNotAnArgon2idHash() {
        refused("""
                users:
                  - name: bob
                    roles: [viewer]
                    password: hunter2
                """, 4, "the password of user 'bob' is not an Argon2id hash");
    }

    @Test
    void shouldRefuseAKeyFileOthersMayRead() throws IOException {
        Path key = Files.writeString(dir.resolve("bob.pub"), "key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        refused("""
                users:
                  - name: bob
                    roles: [approver]
                    public_key: bob.pub
                """, 4, "may be read by group or others");
    }

    @Test
    void shouldReadRetiredKeysAndRefuseOneThatIsMissingNamingItsLine() throws Exception {
        for (String name : List.of("carol.pub", "carol-2025.pub")) {
            Files.setPosixFilePermissions(Files.writeString(dir.resolve(name), "key"), PosixFilePermissions.fromString("rw-------"));
        }
        AccessFile access = AccessFileParser.parse(write("""
                users:
                  - name: carol
                    roles: [approver]
                    public_key: carol.pub
                    retired_public_keys: [carol-2025.pub]
                """));
        assertThat(access.user("carol").orElseThrow().retiredPublicKeys()).containsExactly(dir.resolve("carol-2025.pub"));

        refused("""
                users:
                  - name: carol
                    roles: [approver]
                    retired_public_keys:
                      - carol-2024.pub
                """, 5, "a retired public key file of user 'carol'");
    }

    @Test
    void shouldRefuseAnAccessFileOthersMayWrite() throws IOException {
        Path file = write("users: []\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThatThrownBy(() -> AccessFileParser.parse(file)).isInstanceOf(AccessFileException.class)
                .hasMessageContaining("may be written by group or others");
    }

    @Test
    void shouldRefuseAnUnknownKeySuggestingTheNearestOne() {
        refused("""
                tokens:
                  - id: ci
                    principal: ci
                    role: [viewer]
                """, 4, "unknown key 'role' in a token; did you mean 'roles'?");
    }

    @Test
    void shouldRefuseAnUnknownTopLevelSection() {
        refused("""
                users: []
                groups: []
                """, 2, "unknown key 'groups' in the access file");
    }

    @Test
    void shouldRefuseAMissingRequiredKey() {
        refused("""
                certificates:
                  - subject: CN=x
                    roles: [publisher]
                """, 2, "a certificate needs 'principal'");
    }

    @Test
    void shouldRefuseInvalidYamlWithItsLine() {
        refused("""
                users:
                  - name: bob
                    roles: [viewer
                """, 4, "not valid YAML");
    }

    private void refused(String yaml, int line, String reason) {
        Path file;
        try {
            file = write(yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThatThrownBy(() -> AccessFileParser.parse(file)).isInstanceOfSatisfying(AccessFileException.class, e -> {
            assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
            assertThat(e.reason()).contains(reason);
            assertThat(e.getMessage()).startsWith(file + ":" + line + ": ");
        });
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("access.yaml"), yaml);
    }
}
