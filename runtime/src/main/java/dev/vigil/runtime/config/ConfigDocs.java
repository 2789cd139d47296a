package dev.vigil.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The settings tables of the docs, generated from the definitions so that they cannot drift. In a markdown file a
 * table stands between the lines {@code <!-- settings:NAME ... -->} and {@code <!-- /settings:NAME -->}; each
 * service's tests check that it is the table its {@link ConfigDefinition} makes ({@link #isCurrent}), and with
 * {@code -Dvigil.docs.write=true} rewrite it first.
 */
public final class ConfigDocs {

    /** The system property that lets {@link #isCurrent} rewrite a stale table. */
    public static final String WRITE_PROPERTY = "vigil.docs.write";

    private ConfigDocs() {
    }

    /**
     * {@code markdown} with the table named {@code name} made anew from {@code definition}.
     *
     * @throws IllegalArgumentException when the markers are missing
     */
    public static String withTable(String markdown, String name, ConfigDefinition definition) {
        String begin = "<!-- settings:" + name + " ";
        String end = "<!-- /settings:" + name + " -->";
        int from = markdown.indexOf(begin);
        int to = markdown.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no lines '" + begin + "... -->' and '" + end + "' around a settings table");
        }
        int tableStart = markdown.indexOf('\n', from) + 1;
        return markdown.substring(0, tableStart) + "\n" + definition.markdownTable() + "\n" + markdown.substring(to);
    }

    /**
     * Whether the file's table {@code name} is the one {@code definition} makes. With the system property
     * {@value #WRITE_PROPERTY} set to true, a stale table is rewritten (and this still answers false, once).
     */
    public static boolean isCurrent(Path markdown, String name, ConfigDefinition definition) throws IOException {
        String text = Files.readString(markdown, StandardCharsets.UTF_8);
        String generated = withTable(text, name, definition);
        if (generated.equals(text)) {
            return true;
        }
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(markdown, generated, StandardCharsets.UTF_8);
        }
        return false;
    }
}
