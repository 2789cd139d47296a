package dev.vigil.remediation.approvals;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.SigningKeys;

/**
 * An approver's public keys, as the access file names them: the user's {@code public_key} signs new approvals; its
 * {@code retired_public_keys} (the keys it had before a rotation) still verify the approvals already in the trail.
 */
public final class ApproverKeys {

    /** The key, or why there is none. */
    public sealed interface Lookup {
        record Found(AccessFile.User user, PublicKey key) implements Lookup {
        }

        record Missing(String why) implements Lookup {
        }
    }

    /** The keys an approval already in the trail may have been signed with, or why there are none. */
    public sealed interface History {
        record Keys(List<PublicKey> keys) implements History {
        }

        record Missing(String why) implements History {
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

    /**
     * Every key user {@code name} has signed with: its {@code public_key} and its {@code retired_public_keys}. A user who
     * approved before and may approve no longer keeps the entry (without roles or a current key) so the trail still verifies.
     */
    public static History history(AccessFile access, String name) {
        Optional<AccessFile.User> user = access.user(name);
        if (user.isEmpty()) {
            return new History.Missing("'" + name + "' is no user of " + access.file());
        }
        List<Path> files = new ArrayList<>(user.get().retiredPublicKeys());
        user.get().publicKey().ifPresent(current -> files.add(0, current));
        if (files.isEmpty()) {
            return new History.Missing("user '" + name + "' has no public_key or retired_public_keys in " + access.file());
        }
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : files) {
            try {
                keys.add(SigningKeys.readPublic(file));
            } catch (IOException e) {
                return new History.Missing("the public key " + file + " of '" + name + "' cannot be read: " + e.getMessage());
            }
        }
        return new History.Keys(keys);
    }
}
