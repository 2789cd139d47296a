package dev.vigil.console.web;

import java.util.Map;
import java.util.Optional;

import dev.vigil.console.auth.ConsoleUser;
import dev.vigil.console.auth.Session;

/**
 * A request as a page sees it: the form's fields (POST), the query's, the session (a browser's) and the user (from the
 * session or a bearer credential), and the caller's address.
 */
public record Request(String method, String path, Map<String, String> query, Map<String, String> form, Optional<Session> session,
                      Optional<ConsoleUser> user, String address) {

    public Request {
        query = Map.copyOf(query);
        form = Map.copyOf(form);
    }

    /** The user; pages behind a role are only called with one. */
    public ConsoleUser requireUser() {
        return user.orElseThrow(() -> new IllegalStateException("no user on an authenticated page"));
    }

    /** A form field, or empty text. */
    public String field(String name) {
        return form.getOrDefault(name, "");
    }

    /** Leaves a message for the next page, if there is a session to carry it. */
    public void flash(String message) {
        session.ifPresent(s -> s.flash(message));
    }
}
