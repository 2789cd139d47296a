package dev.vigil.remediation.approvals;

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
import java.util.Optional;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.AccessFileException;
import dev.vigil.runtime.security.AccessFileParser;
import dev.vigil.runtime.security.SigningKeys;
import dev.vigil.runtime.security.Tokens;

/**
 * Test approvers: an access file in a folder with users, each given an Ed25519 key pair as {@code vigil keys generate}
 * makes them, and their approvals signed with it; and a viewer token.
 */
public final class Approvers {

    private final Path accessFile;
    private final String viewerToken = Tokens.generate("test-viewer");
    private final Map<String, Path> privateKeys = new HashMap<>();

    /**
     * @param users each user's name and the rest of its access-file entry, e.g. {@code "roles: [approver]"} or
     *              {@code "roles: [approver], approve: {rules: [\"restart-*\"]}"}
     */
    public Approvers(Path folder, Map<String, String> users) {
        try {
            StringBuilder yaml = new StringBuilder("users:\n");
            for (Map.Entry<String, String> user : new java.util.TreeMap<>(users).entrySet()) {
                Path key = SigningKeys.write(SigningKeys.generate(), folder.resolve("keys"), user.getKey());
                privateKeys.put(user.getKey(), key);
                yaml.append("  - {name: ").append(user.getKey()).append(", ").append(user.getValue()).append(", public_key: keys/")
                        .append(user.getKey()).append(".pub}\n");
            }
            yaml.append("tokens:\n  - {id: test-viewer, principal: test-viewer, roles: [viewer], sha256: ").append(Tokens.sha256Hex(viewerToken))
                    .append("}\n");
            this.accessFile = folder.resolve("access.yaml");
            Files.deleteIfExists(accessFile);
            Files.createFile(accessFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(accessFile, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path accessFile() {
        return accessFile;
    }

    /** A bearer token of the file with the viewer role: for {@code /metrics}. */
    public String viewerToken() {
        return viewerToken;
    }

    public Path privateKeyFile(String name) {
        return privateKeys.get(name);
    }

    public AccessFile parsed() {
        try {
            return AccessFileParser.parse(accessFile);
        } catch (AccessFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A gate over this access file that refuses unsigned answers. */
    public ApprovalGate gate() {
        AccessFile parsed = parsed();
        return new ApprovalGate(() -> Optional.of(parsed), false);
    }

    /** An answer by {@code name}, signed with their key, valid for 10 minutes from {@code at}. */
    public ApprovalDecision sign(String name, String decisionId, boolean approved, String comment, Instant at) {
        return sign(name, decisionId, approved, comment, at, Duration.ofMinutes(10));
    }

    public ApprovalDecision sign(String name, String decisionId, boolean approved, String comment, Instant at, Duration validFor) {
        return signFor(name, name, decisionId, approved, comment, at, validFor);
    }

    /** An answer by {@code actor}, signed by {@code signer} with its key (as the console signs for the user it authenticated). */
    public ApprovalDecision signFor(String signer, String actor, String decisionId, boolean approved, String comment, Instant at, Duration validFor) {
        try {
            PrivateKey key = SigningKeys.readPrivate(privateKeys.get(signer));
            return ApprovalSignatures.sign(decisionId, approved, actor, comment, at, at.plus(validFor), signer, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
