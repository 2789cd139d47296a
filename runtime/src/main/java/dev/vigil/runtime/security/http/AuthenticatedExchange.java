package dev.vigil.runtime.security.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import dev.vigil.runtime.security.Principal;

/**
 * An exchange that carries who made it. A wrapper rather than an exchange attribute: on JDK 17 the attributes of
 * {@code HttpExchange} are shared by every exchange of a context, so concurrent requests would see each other's principal.
 */
final class AuthenticatedExchange extends DelegatingExchange {

    private final Principal principal;

    AuthenticatedExchange(HttpExchange exchange, Principal principal) {
        super(exchange);
        this.principal = principal;
    }

    Principal principal() {
        return principal;
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return new HttpPrincipal(principal.name(), "vigil");
    }
}
