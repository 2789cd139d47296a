package dev.vigil.console.auth;

import java.util.List;

import com.sun.net.httpserver.Headers;

/**
 * One of the console's two cookies, each HttpOnly (script cannot read it), SameSite=Strict (requests another site starts
 * do not carry it), Path=/, and Secure when the console speaks HTTPS: {@link #session} carries the session id and nothing
 * else; {@link #loginForm} carries the login form's CSRF token, before there is a session to hold one.
 */
public record ConsoleCookie(String name, boolean secure) {

    /** The session cookie's name. */
    public static final String SESSION = "vigil_session";
    /** The login form cookie's name. */
    public static final String LOGIN_FORM = "vigil_login";

    public static ConsoleCookie session(boolean secure) {
        return new ConsoleCookie(SESSION, secure);
    }

    public static ConsoleCookie loginForm(boolean secure) {
        return new ConsoleCookie(LOGIN_FORM, secure);
    }

    /** The {@code Set-Cookie} value that gives the browser {@code value}. */
    public String set(String value) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that makes the browser forget it. */
    public String expired() {
        return name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The value the request's cookies carry under this name, or null. */
    public String read(Headers headers) {
        List<String> cookies = headers.get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String header : cookies) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                    return pair.substring(equals + 1).strip();
                }
            }
        }
        return null;
    }
}
