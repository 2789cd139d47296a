package dev.vigil.runtime.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who a request comes from, once authenticated: a name (a user, a token's principal, a certificate's) and the roles
 * its credential carries. {@code approvals} limits the {@link Role#APPROVER} role.
 */
public record Principal(String name, Set<Role> roles, ApprovalScope approvals) {

    public Principal {
        Objects.requireNonNull(name, "name can't be null");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        Objects.requireNonNull(approvals, "approvals can't be null");
    }

    public Principal(String name, Set<Role> roles) {
        this(name, roles, ApprovalScope.UNLIMITED);
    }

    /** Whether one of its roles grants {@code needed}. */
    public boolean has(Role needed) {
        return Role.granted(roles, needed);
    }
}
