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
 * Keys are read from their files on each lookup: approvals are few, and a replaced key counts at once.
 */
public final class ApproverKeys {

    /** The keys, or why there are none. */
    public sealed interface Lookup {
        /** The user and its keys, the current one first when it has one. */
        record Found(AccessFile.User user, List<PublicKey> keys) implements Lookup {
            public Found {
                keys = List.copyOf(keys);
            }

            /** The first key: from {@link #current}, the one that verifies new approvals. */
            public PublicKey key() {
                return keys.get(0);
            }
        }

        record Missing(String why) implements Lookup {
        }
    }

    private ApproverKeys() {
    }

    /** The key user {@code name} signs new approvals with: its {@code public_key} in {@code access}. */
    public static Lookup current(Optional<AccessFile> access, String name) {
        return lookup(access, name, false);
    }

    /**
     * Every key user {@code name} has signed with: its {@code public_key} and its {@code retired_public_keys}. A user who
     * approved before and may approve no longer keeps the entry (without roles or a current key) so the trail still verifies.
     */
    public static Lookup history(AccessFile access, String name) {
        return lookup(Optional.of(access), name, true);
    }

    private static Lookup lookup(Optional<AccessFile> access, String name, boolean withRetired) {
        if (access.isEmpty()) {
            return new Lookup.Missing("no access file (http.access.file) to take approvers' public keys from");
        }
        Optional<AccessFile.User> user = access.get().user(name);
        if (user.isEmpty()) {
            return new Lookup.Missing("'" + name + "' is no user of " + access.get().file());
        }
        List<Path> files = new ArrayList<>();
        user.get().publicKey().ifPresent(files::add);
        if (withRetired) {
            files.addAll(user.get().retiredPublicKeys());
        }
        if (files.isEmpty()) {
            return new Lookup.Missing("user '" + name + "' has no public_key" + (withRetired ? " or retired_public_keys" : "") + " in "
                    + access.get().file());
        }
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : files) {
            try {
                keys.add(SigningKeys.readPublic(file));
            } catch (IOException e) {
                return new Lookup.Missing("the public key " + file + " of '" + name + "' cannot be read: " + e.getMessage());
            }
        }
        return new Lookup.Found(user.get(), keys);
    }
}
