package dev.vigil.actions.library;

import java.util.List;
import java.util.Locale;

/** How outcomes write sizes, shares and lists, so every action writes them alike. */
final class Texts {

    private Texts() {
    }

    /** {@code 3.2 MiB}, {@code 512 B}. */
    static String bytes(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (30 - 10 * i);
            if (bytes >= unit) {
                return String.format(Locale.ROOT, "%.1f %s", bytes / (double) unit, units[i]);
            }
        }
        return bytes + " B";
    }

    /** 0.912 as {@code 91.2%}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** The first {@code most} items, comma-separated, and how many more there are. */
    static String list(List<?> items, int most) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(most, items.size()); i++) {
            text.append(i == 0 ? "" : ", ").append(items.get(i));
        }
        return items.size() > most ? text + " ... and " + (items.size() - most) + " more" : text.toString();
    }

    /** {@code parameters}' value of {@code name}; its absence is the rule's fault, which the policy check should have caught. */
    static String parameter(java.util.Map<String, String> parameters, String name) throws ActionFailedException {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            throw new ActionFailedException("no parameter '" + name + "' given");
        }
        return value;
    }

    /** The part of a parameter template before its first {@code {{...}}}: what is known of it before any alert. */
    static String literalPrefix(String template) {
        int field = template.indexOf("{{");
        return field < 0 ? template : template.substring(0, field);
    }

    static boolean isTemplate(String value) {
        return value.contains("{{");
    }
}
