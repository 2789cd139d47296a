package dev.vigil.runtime.security.http;

import dev.vigil.runtime.security.Role;

/** The role a route needs, by request method; {@code null} means open to anyone ({@code /healthz}). */
@FunctionalInterface
public interface RouteAccess {

    /** The role a request with {@code method} needs, or null if it needs none. */
    Role required(String method);

    /** Open to anyone: only for what tells nothing an attacker could use, such as {@code /healthz}. */
    static RouteAccess open() {
        return method -> null;
    }

    /** {@code role} for every method. */
    static RouteAccess role(Role role) {
        return method -> role;
    }

    /** {@link Role#VIEWER} to read ({@code GET}, {@code HEAD}), {@code writes} for anything else. */
    static RouteAccess readsOr(Role writes) {
        return method -> method.equals("GET") || method.equals("HEAD") ? Role.VIEWER : writes;
    }
}
