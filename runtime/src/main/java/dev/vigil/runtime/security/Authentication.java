package dev.vigil.runtime.security;

/** The outcome of checking a credential: a principal, or the reason it was refused. */
public sealed interface Authentication {

    record Authenticated(Principal principal) implements Authentication {
    }

    record Refused(Refusal reason) implements Authentication {
    }
}
