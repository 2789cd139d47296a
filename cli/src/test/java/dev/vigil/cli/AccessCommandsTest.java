package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.AccessFileParser;
import dev.vigil.runtime.security.Authentication;
import dev.vigil.runtime.security.PasswordHashes;
import dev.vigil.runtime.security.Refusal;
import dev.vigil.runtime.security.Role;

/** {@code vigil token create|revoke} and {@code vigil user add} on a real access file. */
class AccessCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CommandLineRun.run(out, err, args);
    }

    @Test
    void shouldPrintATokenOnceAndStoreOnlyItsHash() throws Exception {
        Path file = dir.resolve("access.yaml");

        int code = run("token", "create", "--id", "grafana", "--principal", "grafana", "--roles", "viewer", "--expires", "30d",
                "--access-file", file.toString());

        assertThat(code).as(err.toString()).isZero();
        String token = out.toString().strip();
        assertThat(token).startsWith("vgl_grafana_").hasSize("vgl_grafana_".length() + 43);
        assertThat(Files.readString(file)).doesNotContain(token.substring(12));
        AccessFile access = AccessFileParser.parse(file);
        Authentication result = access.authenticateToken(token, Instant.now());
        assertThat(result).isInstanceOfSatisfying(Authentication.Authenticated.class,
                authenticated -> assertThat(authenticated.principal().roles()).containsExactly(Role.VIEWER));
        assertThat(access.tokens().get("grafana").expires().orElseThrow()).isBetween(Instant.now().plus(Duration.ofDays(29)),
                Instant.now().plus(Duration.ofDays(31)));
    }

    @Test
    void shouldRevokeAToken() throws Exception {
        Path file = dir.resolve("access.yaml");
        run("token", "create", "--id", "ci", "--principal", "ci", "--roles", "operator", "--access-file", file.toString());
        String token = out.toString().strip();

        int code = run("token", "revoke", "--id", "ci", "--access-file", file.toString());

        assertThat(code).isZero();
        assertThat(AccessFileParser.parse(file).authenticateToken(token, Instant.now()))
                .isEqualTo(new Authentication.Refused(Refusal.REVOKED_TOKEN));
    }

    @Test
    void shouldRefuseAnUnknownRoleAndADuplicateId() {
        String file = dir.resolve("access.yaml").toString();

        assertThat(run("token", "create", "--id", "ci", "--principal", "ci", "--roles", "root", "--access-file", file))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("vigil: unknown role 'root'");
        run("token", "create", "--id", "ci", "--principal", "ci", "--roles", "viewer", "--access-file", file);
        assertThat(run("token", "create", "--id", "ci", "--principal", "ci", "--roles", "viewer", "--access-file", file))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("a token with id 'ci' exists already");
    }

    @Test
    void shouldAddAUserWithAnArgon2idHashOfThePasswordFromStdin() throws Exception {
        Path file = dir.resolve("access.yaml");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("correct horse battery\n".getBytes(StandardCharsets.UTF_8)));
            int code = run("user", "add", "alice", "--roles", "approver", "--access-file", file.toString());
            assertThat(code).as(err.toString()).isZero();
        } finally {
            System.setIn(stdin);
        }

        AccessFile.User alice = AccessFileParser.parse(file).user("alice").orElseThrow();
        assertThat(Files.readString(file)).doesNotContain("correct horse");
        assertThat(PasswordHashes.verify("correct horse battery".toCharArray(), alice.password().orElseThrow())).isTrue();
        assertThat(alice.roles()).containsExactly(Role.APPROVER);
    }

    @Test
    void shouldRefuseAShortPassword() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(run("user", "add", "bob", "--roles", "viewer", "--access-file", dir.resolve("a.yaml").toString()))
                    .isEqualTo(ExitCodes.FAILED);
        } finally {
            System.setIn(stdin);
        }
        assertThat(err.toString()).contains("at least 12 characters");
    }
}
