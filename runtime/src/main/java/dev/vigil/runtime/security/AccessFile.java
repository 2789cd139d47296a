package dev.vigil.runtime.security;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

/**
 * The one file that says who may do what ({@code http.access.file}): local users, bearer tokens (hashed) and client
 * certificates, each with its roles. Read by {@link AccessFileParser}; format in docs/security.md.
 */
public record AccessFile(Path file, List<User> users, Map<String, Token> tokens, List<Certificate> certificates) {

    public AccessFile {
        users = List.copyOf(users);
        tokens = Map.copyOf(tokens);
        certificates = List.copyOf(certificates);
    }

    /**
     * A local user: the console's login (part 4) and an approver's signing key (part 3).
     *
     * @param password  an Argon2id hash in PHC format ({@link PasswordHashes}), if the user may log in
     * @param publicKey         the user's Ed25519 public key file, for signed approvals
     * @param retiredPublicKeys key files the user signed with before a rotation: they verify approvals already in the audit
     *                          trail and are never accepted for a new one
     */
    public record User(String name, Set<Role> roles, Optional<String> password, ApprovalScope approvals, Optional<Path> publicKey,
                       List<Path> retiredPublicKeys, int line) {

        public User {
            retiredPublicKeys = List.copyOf(retiredPublicKeys);
        }
    }

    /** A bearer token, stored as the SHA-256 of the whole token. */
    public record Token(String id, String principal, Set<Role> roles, String sha256, Optional<Instant> expires, boolean revoked, int line) {
    }

    /** A client certificate's subject (as the truststore-verified certificate says it) and who it is. */
    public record Certificate(X500Principal subject, String principal, Set<Role> roles, int line) {
    }

    /** A user by name. */
    public Optional<User> user(String name) {
        return users.stream().filter(user -> user.name().equals(name)).findFirst();
    }

    /**
     * Who {@code token} is, at {@code now}. An unknown id and a wrong secret are refused alike, after the same hashing and
     * comparison, so neither timing nor answer tells which ids exist; expiry and revocation are told only to the
     * holder of the right secret.
     */
    public Authentication authenticateToken(String token, Instant now) {
        Optional<String> id = Tokens.idOf(token);
        Token entry = id.map(tokens::get).orElse(null);
        boolean secretMatches = Tokens.matches(token, entry == null ? UNKNOWN_HASH : entry.sha256());
        if (entry == null || !secretMatches) {
            return new Authentication.Refused(id.isEmpty() ? Refusal.MALFORMED_CREDENTIALS : Refusal.UNKNOWN_TOKEN);
        }
        if (entry.revoked()) {
            return new Authentication.Refused(Refusal.REVOKED_TOKEN);
        }
        if (entry.expires().isPresent() && !now.isBefore(entry.expires().get())) {
            return new Authentication.Refused(Refusal.EXPIRED_TOKEN);
        }
        return new Authentication.Authenticated(new Principal(entry.principal(), entry.roles(), approvals(entry.principal())));
    }

    /** Who the verified client certificate with {@code subject} is. */
    public Authentication authenticateCertificate(X500Principal subject) {
        return certificates.stream().filter(certificate -> certificate.subject().equals(subject)).findFirst()
                .<Authentication>map(certificate -> new Authentication.Authenticated(
                        new Principal(certificate.principal(), certificate.roles(), approvals(certificate.principal()))))
                .orElse(new Authentication.Refused(Refusal.UNKNOWN_CERTIFICATE));
    }

    /** A principal that is also a user carries the user's approval scope. */
    private ApprovalScope approvals(String principal) {
        return user(principal).map(User::approvals).orElse(ApprovalScope.UNLIMITED);
    }

    private static final String UNKNOWN_HASH = "0".repeat(64);
}
