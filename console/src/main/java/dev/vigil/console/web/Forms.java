package dev.vigil.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Form bodies ({@code application/x-www-form-urlencoded}) and query strings, read with a size limit. */
public final class Forms {

    /** The largest form the console takes: a silence's reason or an approval's comment fits many times over. */
    public static final int MAX_BYTES = 64 * 1024;

    /** A form larger than {@link #MAX_BYTES}. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("the form is larger than " + MAX_BYTES + " bytes");
        }
    }

    private Forms() {
    }

    /** The fields of a form body; the first value of a repeated field wins. */
    public static Map<String, String> read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new TooLarge();
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** {@code a=1&b=x%20y} as fields; a malformed escape makes the field empty rather than failing the request. */
    public static Map<String, String> parse(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
