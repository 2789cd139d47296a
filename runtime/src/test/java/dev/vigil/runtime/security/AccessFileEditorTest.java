package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessFileEditorTest {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    void shouldCreateAnOwnerOnlyFileForTheFirstToken() throws Exception {
        Path file = dir.resolve("access.yaml");

        AccessFileEditor.addToken(file, "ci", "ci-bot", Set.of(Role.VIEWER, Role.OPERATOR), HASH_A,
                Optional.of(Instant.parse("2027-01-01T00:00:00Z")));

        AccessFile.Token token = AccessFileParser.parse(file).tokens().get("ci");
        assertThat(token.roles()).containsExactlyInAnyOrder(Role.VIEWER, Role.OPERATOR);
        assertThat(token.expires()).contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void shouldAppendToTheRightSectionKeepingComments() throws Exception {
        Path file = Files.writeString(dir.resolve("access.yaml"), """
                # who may do what
                tokens:
                    # the dashboards
                    - {id: grafana, principal: grafana, roles: [viewer], sha256: %s}
                certificates: []
                """.formatted(HASH_A));

        AccessFileEditor.addToken(file, "ci", "ci-bot", Set.of(Role.PUBLISHER), HASH_B, Optional.empty());
        AccessFileEditor.addUser(file, "alice", Set.of(Role.ADMIN), PasswordHashes.hash("pw".toCharArray()));

        String text = Files.readString(file);
        assertThat(text).startsWith("# who may do what\ntokens:\n    # the dashboards\n").contains("    - id: ci\n      principal: ci-bot\n");
        AccessFile access = AccessFileParser.parse(file);
        assertThat(access.tokens()).containsOnlyKeys("grafana", "ci");
        assertThat(access.user("alice").orElseThrow().roles()).containsExactly(Role.ADMIN);
    }

    @Test
    void shouldRevokeBlockAndFlowEntriesAndOnesMarkedFalse() throws Exception {
        Path file = Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: grafana, principal: grafana, roles: [viewer], sha256: %s}
                  - id: ci
                    principal: ci
                    roles: [viewer]
                    sha256: %s
                  - id: old
                    revoked: false
                    principal: ci
                    roles: [viewer]
                    sha256: %s
                """.formatted(HASH_A, HASH_B, HASH_B));

        AccessFileEditor.revokeToken(file, "grafana");
        AccessFileEditor.revokeToken(file, "ci");
        AccessFileEditor.revokeToken(file, "old");

        assertThat(AccessFileParser.parse(file).tokens().values()).allMatch(AccessFile.Token::revoked);
    }

    @Test
    void shouldRefuseDuplicatesAndUnknownIds() throws Exception {
        Path file = dir.resolve("access.yaml");
        AccessFileEditor.addToken(file, "ci", "ci", Set.of(Role.VIEWER), HASH_A, Optional.empty());
        String before = Files.readString(file);

        assertThatThrownBy(() -> AccessFileEditor.addToken(file, "ci", "ci", Set.of(Role.VIEWER), HASH_B, Optional.empty()))
                .isInstanceOf(AccessFileException.class).hasMessageContaining("a token with id 'ci' exists already");
        assertThatThrownBy(() -> AccessFileEditor.revokeToken(file, "nope")).isInstanceOf(AccessFileException.class)
                .hasMessageContaining("no token with id 'nope'");
        assertThat(Files.readString(file)).isEqualTo(before);
    }
}
