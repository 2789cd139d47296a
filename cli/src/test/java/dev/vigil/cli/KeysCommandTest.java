package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.remediation.approvals.ApprovalSignatures;
import dev.vigil.remediation.approvals.ApproverKeys;
import dev.vigil.runtime.security.AccessFileParser;
import dev.vigil.runtime.security.SigningKeys;

/** {@code vigil keys generate}, and {@code vigil approve}'s refusal of a key file others may read. */
class KeysCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CommandLineRun.run(out, err, args);
    }

    @Test
    void shouldWriteAKeyPairWhosePublicHalfTheAccessFileTakesAndWhichSignsApprovals() throws Exception {
        int code = run("keys", "generate", "--name", "alice", "--out", dir.resolve("keys").toString());

        assertThat(code).as(err.toString()).isZero();
        Path privateKey = dir.resolve("keys/alice.key");
        assertThat(out.toString()).contains(privateKey.toString(), dir.resolve("keys/alice.pub").toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        Path access = Files.createFile(dir.resolve("access.yaml"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(access, "users:\n  - {name: alice, roles: [approver], public_key: keys/alice.pub}\n");
        var signed = ApprovalSignatures.sign("d1", true, "alice", "", Instant.now(), Instant.now().plusSeconds(60), "alice",
                SigningKeys.readPrivate(privateKey));
        var lookup = ApproverKeys.current(Optional.of(AccessFileParser.parse(access)), "alice");
        assertThat(ApprovalSignatures.verifies(signed, ((ApproverKeys.Lookup.Found) lookup).key())).isTrue();
    }

    @Test
    void shouldNeverOverwriteAKey() {
        assertThat(run("keys", "generate", "--name", "bob", "--out", dir.toString())).isZero();

        assertThat(run("keys", "generate", "--name", "bob", "--out", dir.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("bob.key");
    }

    @Test
    void shouldRefuseToSignWithAKeyFileOthersMayReadNamingIt() throws Exception {
        run("keys", "generate", "--name", "carol", "--out", dir.toString());
        Path key = dir.resolve("carol.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        int code = run("approve", "d1", "--key-file", key.toString(), "--config", dir.resolve("none.properties").toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("the key file " + key + " may be read or written by group or others", "chmod 600");
    }

    @Test
    void shouldRefuseAValidityBeyondADay() throws Exception {
        run("keys", "generate", "--name", "dave", "--out", dir.toString());

        int code = run("deny", "d1", "--key-file", dir.resolve("dave.key").toString(), "--valid-for", "2d");

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).contains("--valid-for");
    }
}
