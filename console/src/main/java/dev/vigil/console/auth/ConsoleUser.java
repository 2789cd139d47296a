package dev.vigil.console.auth;

import java.util.Objects;

import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Role;

/**
 * Who uses the console: a principal (name, roles, approval scope) and how it proved it.
 *
 * @param via {@code password} (a local user of the access file), {@code token} (a bearer token of the access file) or
 *            {@code oidc} (a JWT of the configured provider)
 */
public record ConsoleUser(Principal principal, String via) {

    public ConsoleUser {
        Objects.requireNonNull(principal, "principal can't be null");
        Objects.requireNonNull(via, "via can't be null");
    }

    public String name() {
        return principal.name();
    }

    public boolean has(Role role) {
        return principal.has(role);
    }
}
