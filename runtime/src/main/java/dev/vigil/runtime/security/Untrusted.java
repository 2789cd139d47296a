package dev.vigil.runtime.security;

/**
 * Values that come from outside (a request's path, query or headers, a body's text) on their way into a log line or a
 * response header. In a log line a CR or LF would let the sender write a line of their own ("Refused ... \n... accepted"),
 * and other control characters can rewrite a terminal; in a response header a CR LF would let them add headers or a body
 * (response splitting). Every such value passes here, and only here.
 */
public final class Untrusted {

    /** Longest value written into a log line; the rest is cut, so one request cannot write megabytes of log. */
    public static final int MAX_LOGGED = 256;

    private Untrusted() {
    }

    /**
     * {@code value} in double quotes for a log line: control characters (CR, LF, TAB, ESC, DEL, C1, U+2028/9 ...) and
     * {@code "} and {@code \} escaped as {@code \n}, {@code \r}, {@code \t}, {@code \"}, {@code \\} or {@code \}{@code uXXXX},
     * cut at {@link #MAX_LOGGED} characters with {@code ...}; {@code null} as {@code null}.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(Math.min(value.length(), MAX_LOGGED) + 8).append('"');
        int end = Math.min(value.length(), MAX_LOGGED);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (isControl(c)) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        if (value.length() > end) {
            quoted.append("...");
        }
        return quoted.append('"').toString();
    }

    /**
     * {@code value} as it may go into a response header: unchanged when it has no control character.
     *
     * @throws IllegalArgumentException if it has one (CR and LF included): such a value is never sent, not even cleaned,
     *                                  since what it was meant to say is no longer known
     */
    public static String headerValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i))) {
                throw new IllegalArgumentException("a header value with a control character (U+" + String.format("%04X", (int) value.charAt(i))
                        + "): " + quote(value));
            }
        }
        return value;
    }

    /** Whether {@code value} has a control character: C0, DEL, C1, or the line and paragraph separators. */
    public static boolean hasControl(String value) {
        return value.chars().anyMatch(c -> isControl((char) c));
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
