package dev.vigil.runtime.security;

import java.util.Objects;
import java.util.Optional;

/** The outcome of checking a credential: a principal, or the reason it was refused. */
public sealed interface Authentication {

    record Authenticated(Principal principal) implements Authentication {
    }

    /**
     * Refused for {@code reason}; {@code principal} is who it was when the credential was good but lacked the role
     * ({@link Refusal#MISSING_ROLE}), for the log.
     */
    record Refused(Refusal reason, Optional<Principal> principal) implements Authentication {

        public Refused {
            Objects.requireNonNull(reason, "reason can't be null");
            Objects.requireNonNull(principal, "principal can't be null");
        }

        public Refused(Refusal reason) {
            this(reason, Optional.empty());
        }
    }
}
