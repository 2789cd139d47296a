package dev.vigil.e2e.attacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.remediation.approvals.ApprovalSignatures;
import dev.vigil.runtime.security.SigningKeys;
import dev.vigil.runtime.security.Tokens;

/**
 * The access file the attacked services share, and what an attacker or a user holds: a token per role (viewer, operator,
 * approver, publisher), an expired and a revoked one; users with Ed25519 keys (alice the approver, victor a viewer,
 * cleaner an approver limited to {@code clean-*} rules) and a key the file does not know (mallory's).
 */
public final class AttackAccess {

    public final String viewer = Tokens.generate("viewer");
    public final String operator = Tokens.generate("operator");
    public final String approver = Tokens.generate("approver");
    public final String publisher = Tokens.generate("publisher");
    public final String expired = Tokens.generate("expired");
    public final String revoked = Tokens.generate("revoked");

    private final Path file;
    private final Map<String, Path> keys = new HashMap<>();

    public AttackAccess(Path folder) {
        try {
            Files.createDirectories(folder);
            for (String user : new String[] {"alice", "victor", "cleaner", "mallory"}) {
                keys.put(user, SigningKeys.write(SigningKeys.generate(), folder.resolve("keys"), user));
            }
            file = folder.resolve("access.yaml");
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, """
                    users:
                      - {name: alice, roles: [approver], public_key: keys/alice.pub}
                      - {name: victor, roles: [viewer], public_key: keys/victor.pub}
                      - {name: cleaner, roles: [approver], approve: {rules: ["clean-*"]}, public_key: keys/cleaner.pub}
                    tokens:
                      - {id: viewer, principal: grafana, roles: [viewer], sha256: %s}
                      - {id: operator, principal: olga, roles: [operator], sha256: %s}
                      - {id: approver, principal: alice, roles: [approver], sha256: %s}
                      - {id: publisher, principal: app-01, roles: [publisher], sha256: %s}
                      - {id: expired, principal: olga, roles: [operator], sha256: %s, expires: 2020-01-01}
                      - {id: revoked, principal: olga, roles: [operator], sha256: %s, revoked: true}
                    """.formatted(Tokens.sha256Hex(viewer), Tokens.sha256Hex(operator), Tokens.sha256Hex(approver), Tokens.sha256Hex(publisher),
                    Tokens.sha256Hex(expired), Tokens.sha256Hex(revoked)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    /** An answer claimed by {@code actor}, signed as {@code signer} with {@code keyOf}'s key, valid for 10 minutes from {@code at}. */
    public ApprovalDecision sign(String actor, String keyOf, String decisionId, boolean approved, String comment, Instant at) {
        try {
            PrivateKey key = SigningKeys.readPrivate(keys.get(keyOf));
            return ApprovalSignatures.sign(decisionId, approved, actor, comment, at, at.plus(Duration.ofMinutes(10)), actor, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
