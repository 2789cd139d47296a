package dev.vigil.console.web;

import java.util.Objects;

/**
 * Builds HTML in which every value is escaped: text and attribute values go through {@link #escape}, and only tag and
 * attribute names, which are constants of the code, are written as they are. The one way the console writes HTML, so no
 * page can forget to escape a host name, a reason or a comment.
 */
public final class Html {

    private final StringBuilder out = new StringBuilder(4096);

    /** {@code value} safe in text and in a double-quoted attribute: {@code & < > " '} as entities. */
    public static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /**
     * {@code <tag name="value" ...>}; attributes as name-value pairs, a null value leaves the attribute out, an empty one
     * writes it bare when the name ends with {@code ?} ({@code "selected?", ""}).
     */
    public Html open(String tag, String... attributes) {
        out.append('<').append(name(tag));
        attributes(attributes);
        out.append('>');
        return this;
    }

    /** An element without content or end tag ({@code input}, {@code meta}, {@code link}). */
    public Html empty(String tag, String... attributes) {
        return open(tag, attributes);
    }

    public Html close(String tag) {
        out.append("</").append(name(tag)).append('>');
        return this;
    }

    /** {@code <tag ...>text</tag>}. */
    public Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    public Html text(String text) {
        out.append(escape(text));
        return this;
    }

    /** Another fragment built by this class, hence escaped already. */
    public Html append(Html fragment) {
        out.append(fragment.out);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void attributes(String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name-value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            String attribute = Objects.requireNonNull(attributes[i], "an attribute name can't be null");
            String value = attributes[i + 1];
            if (value == null) {
                continue;
            }
            if (attribute.endsWith("?")) {
                out.append(' ').append(name(attribute.substring(0, attribute.length() - 1)));
                continue;
            }
            out.append(' ').append(name(attribute)).append("=\"").append(escape(value)).append('"');
        }
    }

    /** Tag and attribute names are the code's own; a name with anything else is a bug, not data. */
    private static String name(String name) {
        if (!name.matches("[a-zA-Z][a-zA-Z0-9-]*")) {
            throw new IllegalArgumentException("not a tag or attribute name: " + name);
        }
        return name;
    }
}
