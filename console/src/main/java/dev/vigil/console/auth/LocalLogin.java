package dev.vigil.console.auth;

import java.util.Optional;

import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.PasswordHashes;
import dev.vigil.runtime.security.Principal;

/**
 * A local user's name and password, checked against the user's Argon2id hash in the access file. An unknown user, or one
 * without a password, costs the same hashing (against a hash of a random password made at start), so the answer's timing
 * does not tell which names exist.
 */
public final class LocalLogin {

    private final String decoy = PasswordHashes.hash(java.util.UUID.randomUUID().toString().toCharArray());

    /** The user, if {@code password} is theirs. */
    public Optional<ConsoleUser> check(AccessFile access, String username, char[] password) {
        Optional<AccessFile.User> user = access.user(username);
        Optional<String> hash = user.flatMap(AccessFile.User::password);
        boolean matches = PasswordHashes.verify(password, hash.orElse(decoy));
        if (hash.isEmpty() || !matches) {
            return Optional.empty();
        }
        AccessFile.User found = user.get();
        return Optional.of(new ConsoleUser(new Principal(found.name(), found.roles(), found.approvals()), "password"));
    }
}
