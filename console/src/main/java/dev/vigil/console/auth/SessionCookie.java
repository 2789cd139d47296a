package dev.vigil.console.auth;

import java.util.List;

import com.sun.net.httpserver.Headers;

/**
 * The session cookie {@code vigil_session}: HttpOnly (script cannot read it), SameSite=Strict (requests another site starts
 * do not carry it), Path=/, and Secure when the console speaks HTTPS. It carries the session id and nothing else.
 */
public record SessionCookie(boolean secure) {

    public static final String NAME = "vigil_session";

    /** The {@code Set-Cookie} value that gives the browser session {@code id}. */
    public String set(String id) {
        return NAME + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that makes the browser forget it. */
    public String expired() {
        return NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The session id the request's cookies carry, or null. */
    public static String read(Headers headers) {
        List<String> cookies = headers.get("Cookie");
        if (cookies == null) {
            return null;
        }
        for (String header : cookies) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).strip().equals(NAME)) {
                    return pair.substring(equals + 1).strip();
                }
            }
        }
        return null;
    }
}
