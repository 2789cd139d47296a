package dev.vigil.runtime.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what, the closed set every Vigil endpoint checks. Implication lives here and nowhere else:
 * {@code admin} implies every role, {@code operator} and {@code approver} imply {@code viewer};
 * {@code publisher} (a machine pushing metrics) implies nothing, and nothing but {@code admin} implies it;
 * {@code console} (a service that signs approvals for the users it authenticated) implies nothing and is implied by
 * nothing, not even {@code admin}: it is held by the console's service principal alone.
 */
public enum Role {
    /** Reads alerts, state, audit and {@code /metrics}. */
    VIEWER,
    /** Creates and ends silences, acknowledges; reads. */
    OPERATOR,
    /** Approves or denies remediation, possibly limited to some rules and host labels ({@link ApprovalScope}); reads. */
    APPROVER,
    /** Everything: policy, users, tokens. */
    ADMIN,
    /** A machine client pushing metrics ({@code POST /v1/metrics}). */
    PUBLISHER,
    /**
     * A service that signs approvals on behalf of the users it authenticated (the operator console's service principal): the
     * remediation consumer accepts an approval whose signer differs from its actor only when the signer holds this role, and
     * then checks the approver role and scope of the actor. Grants nothing else, and no other role grants it.
     */
    CONSOLE;

    /** Its name in the access file and on the command line: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether holding this role grants {@code needed}. */
    public boolean implies(Role needed) {
        if (this == needed) {
            return true;
        }
        if (needed == CONSOLE) {
            return false; // speaking for others is a service's alone, not an admin's
        }
        if (this == ADMIN) {
            return true;
        }
        return needed == VIEWER && (this == OPERATOR || this == APPROVER);
    }

    /** Whether any of {@code held} grants {@code needed}. */
    public static boolean granted(Set<Role> held, Role needed) {
        return held.stream().anyMatch(role -> role.implies(needed));
    }

    /** The role named {@code id} (lower case, as written in the access file). */
    public static Optional<Role> fromId(String id) {
        return Arrays.stream(values()).filter(role -> role.id().equals(id)).findFirst();
    }

    /** Every role's id, comma-separated, for messages. */
    public static String ids() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }

    /** {@code viewer,operator} as roles; unknown names throw {@link IllegalArgumentException} naming them. */
    public static Set<Role> parseList(String commaSeparated) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : commaSeparated.split(",")) {
            String id = part.strip();
            roles.add(fromId(id).orElseThrow(() -> new IllegalArgumentException("unknown role '" + id + "'; roles are " + ids())));
        }
        return roles;
    }
}
