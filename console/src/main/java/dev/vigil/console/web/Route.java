package dev.vigil.console.web;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.runtime.security.Role;

/**
 * One page or form target: a method, a path pattern (its groups are the path's parameters), the role it needs (null: anyone,
 * for the login page and {@code /healthz}), a name for the render-time metric, and what answers it.
 */
public record Route(String method, Pattern path, Role needs, String name, Action action) {

    /** What answers a request of the route. */
    @FunctionalInterface
    public interface Action {
        Response answer(Request request, Matcher path) throws Exception;
    }

    public Route {
        Objects.requireNonNull(method, "method can't be null");
        Objects.requireNonNull(path, "path can't be null");
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(action, "action can't be null");
    }

    public static Route get(String path, Role needs, String name, Action action) {
        return new Route("GET", Pattern.compile(path), needs, name, action);
    }

    public static Route post(String path, Role needs, String name, Action action) {
        return new Route("POST", Pattern.compile(path), needs, name, action);
    }
}
