package dev.vigil.remediation.approvals;

import java.io.IOException;
import java.security.PublicKey;
import java.util.Optional;

import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.SigningKeys;

/** An approver's public key, as the access file names it: the user's {@code public_key}. */
public final class ApproverKeys {

    /** The key, or why there is none. */
    public sealed interface Lookup {
        record Found(AccessFile.User user, PublicKey key) implements Lookup {
        }

        record Missing(String why) implements Lookup {
        }
    }

    private ApproverKeys() {
    }

    /** The public key of user {@code name} in {@code access}. Read from its file each time: approvals are few, and a replaced key counts at once. */
    public static Lookup of(Optional<AccessFile> access, String name) {
        if (access.isEmpty()) {
            return new Lookup.Missing("no access file (http.access.file) to take approvers' public keys from");
        }
        Optional<AccessFile.User> user = access.get().user(name);
        if (user.isEmpty()) {
            return new Lookup.Missing("'" + name + "' is no user of " + access.get().file());
        }
        if (user.get().publicKey().isEmpty()) {
            return new Lookup.Missing("user '" + name + "' has no public_key in " + access.get().file());
        }
        try {
            return new Lookup.Found(user.get(), SigningKeys.readPublic(user.get().publicKey().get()));
        } catch (IOException e) {
            return new Lookup.Missing("the public key of '" + name + "' cannot be read: " + e.getMessage());
        }
    }
}
