package dev.vigil.runtime.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every setting of one component, in the order its docs table lists them: its keys ({@link ConfigKey},
 * {@link SecretKey}), the prefixes and names it passes on unread to a library ({@code kafka.*} to the Kafka
 * clients), and groups of keys documented elsewhere ({@code alerts.*}). Kafka's {@code ConfigDef} plays this
 * part for Kafka's clients; immutable, each {@code with...} returns a new definition.
 *
 * <p>{@link #read} is where settings are checked, once, at start:
 * <ul>
 *   <li>A key in the file (or map) that is neither defined nor under a prefix passed on stops start-up, naming
 *       the nearest known key: {@code unknown setting 'threads.count' in streams.properties; did you mean 'threads'?}.
 *       A file is one component's alone, so a typo there is always a mistake.</li>
 *   <li>A {@code VIGIL_*} variable applies when it is the variable of a key the file sets, of a defined key, of
 *       a key a placeholder stands for, or of a key under a prefix passed on; any other is ignored, its name (never
 *       its value) logged. The environment is not the component's alone: compose gives every service the same
 *       {@code VIGIL_CLICKHOUSE_*} and {@code VIGIL_HTTP_HOST}, the {@code vigil} script reads
 *       {@code VIGIL_JAVA_OPTS} and {@code VIGIL_LOG_FILE}, the command line {@code VIGIL_WORK_DIR}, the local
 *       stack {@code VIGIL_CLICKHOUSE_SERVER} and {@code VIGIL_APICURIO_HOME}. Refusing those would make one
 *       environment per component necessary; the log line is where a misspelt variable shows.</li>
 *   <li>A fallback the command offers for a key the component does not define is left alone.</li>
 *   <li>Every value set is parsed and checked, so a bad one fails at start even if it is read late.</li>
 * </ul>
 */
public final class ConfigDefinition implements ConfigEntry {

    private static final Logger log = LoggerFactory.getLogger(ConfigDefinition.class);
    private static final Pattern SEGMENT = Pattern.compile("[^.]*");

    /** A prefix ({@code kafka.}) or a single name passed on unread; its row in the docs says to whom. */
    private record PassedOn(String name, String doc) {
        boolean covers(String key) {
            return name.endsWith(".") ? key.startsWith(name) && key.length() > name.length() : key.equals(name);
        }

        Optional<String> keyForVariable(String variable) {
            String prefix = ConfigSource.variableFor(name);
            if (!name.endsWith(".")) {
                return variable.equals(prefix) ? Optional.of(name) : Optional.empty();
            }
            return variable.startsWith(prefix) && variable.length() > prefix.length()
                    ? Optional.of(name + variable.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'))
                    : Optional.empty();
        }

        String row() {
            return "| `" + name + (name.endsWith(".") ? "*" : "") + "` | | " + doc + " |";
        }
    }

    /** Keys of another definition, known here and documented as one row. */
    private record Group(ConfigDefinition definition, String shownAs, String doc) {
        String row() {
            return "| `" + shownAs + "` | | " + doc + " |";
        }
    }

    private final String component;
    private final List<Object> entries;

    private ConfigDefinition(String component, List<Object> entries) {
        this.component = component;
        this.entries = List.copyOf(entries);
    }

    /** An empty definition; {@code component} names it in messages ("the streams application"). */
    public static ConfigDefinition of(String component) {
        return new ConfigDefinition(Objects.requireNonNull(component, "component can't be null"), List.of());
    }

    /** This definition with more keys and secrets; a definition given here has its entries taken in, in its order. */
    public ConfigDefinition with(ConfigEntry... more) {
        List<Object> all = new ArrayList<>(entries);
        for (ConfigEntry entry : more) {
            if (entry instanceof ConfigDefinition definition) {
                all.addAll(definition.entries);
            } else {
                all.add(Objects.requireNonNull(entry, "entries can't be null"));
            }
        }
        return checked(all);
    }

    /**
     * This definition passing on, unread, every key under {@code prefix} (ending in a dot: {@code kafka.}) or the one
     * key {@code name}, to the library {@code doc} names: such keys are allowed and the service hands them over.
     */
    public ConfigDefinition passingOn(String prefixOrName, String doc) {
        List<Object> all = new ArrayList<>(entries);
        all.add(new PassedOn(Objects.requireNonNull(prefixOrName, "prefixOrName can't be null"), Objects.requireNonNull(doc, "doc can't be null")));
        return checked(all);
    }

    /** This definition with every key of {@code group}, which the docs table shows as one row {@code shownAs}: {@code doc}. */
    public ConfigDefinition withGroup(ConfigDefinition group, String shownAs, String doc) {
        List<Object> all = new ArrayList<>(entries);
        all.add(new Group(group, shownAs, doc));
        return checked(all);
    }

    private ConfigDefinition checked(List<Object> all) {
        ConfigDefinition definition = new ConfigDefinition(component, all);
        Map<String, Object> seen = new HashMap<>();
        for (ConfigKey<?> key : definition.keys()) {
            if (seen.put(key.definedAs(), key) != null) {
                throw new IllegalArgumentException(key.definedAs() + " is defined twice in the settings of " + component);
            }
        }
        return definition;
    }

    public String component() {
        return component;
    }

    /**
     * The settings of {@code source} for this component, checked (see the class comment).
     *
     * @throws ConfigException naming every unknown key with the nearest known one, or the first bad value with its key
     */
    public ConfigValues read(ConfigSource source) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> where = new HashMap<>();
        Map<String, String> keyOfVariable = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        new TreeMap<>(source.given()).forEach((key, value) -> {
            if (!knows(key)) {
                unknown.add("unknown setting '" + key + "' in " + source.origin() + suggestion(key)
                        .map(known -> "; did you mean '" + known + "'?").orElse(" (not a setting of " + component + ")"));
            } else if (!value.isEmpty()) {
                values.put(key, value);
                where.put(key, "set in " + source.origin());
            }
            keyOfVariable.put(ConfigSource.variableFor(key), key);
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException(String.join("; ", unknown));
        }
        List<String> ignored = new ArrayList<>();
        new TreeMap<>(source.environment()).forEach((variable, value) -> {
            Optional<String> key = Optional.ofNullable(keyOfVariable.get(variable)).or(() -> keyForVariable(variable));
            if (key.isEmpty()) {
                ignored.add(variable);
            } else if (!value.isEmpty()) {
                values.put(key.get(), value);
                where.put(key.get(), "set as " + variable);
            }
        });
        if (!ignored.isEmpty()) {
            log.info("Environment variables that are no settings of {}, ignored: {}", component, String.join(", ", ignored));
        }
        source.fallbacks().forEach((key, value) -> {
            if (knows(key) && !values.containsKey(key)) {
                values.put(key, value);
                where.put(key, "the command's default");
            }
        });
        return new ConfigValues(this, values, where, source.origin());
    }

    /** The docs table of these settings: a row per key, secret, prefix passed on and group, in order. */
    public String markdownTable() {
        StringBuilder table = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
        for (Object entry : entries) {
            if (entry instanceof ConfigKey<?> key) {
                table.append("| `").append(key.name()).append("` | ").append(key.shownDefault()).append(" | ").append(key.doc()).append(" |");
            } else if (entry instanceof SecretKey secret) {
                table.append(secret.row());
            } else if (entry instanceof PassedOn passedOn) {
                table.append(passedOn.row());
            } else {
                table.append(((Group) entry).row());
            }
            table.append('\n');
        }
        return table.toString();
    }

    /** Every key defined, those of secrets and groups included. */
    List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof ConfigKey<?> key) {
                keys.add(key);
            } else if (entry instanceof SecretKey secret) {
                keys.add(secret.value());
                keys.add(secret.file());
            } else if (entry instanceof Group group) {
                keys.addAll(group.definition().keys());
            }
        }
        return keys;
    }

    private List<PassedOn> passedOn() {
        List<PassedOn> passed = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof PassedOn passedOn) {
                passed.add(passedOn);
            } else if (entry instanceof Group group) {
                passed.addAll(group.definition().passedOn());
            }
        }
        return passed;
    }

    /** The defined key {@code key} is, a placeholder's key included. */
    Optional<ConfigKey<?>> keyFor(String key) {
        List<ConfigKey<?>> keys = keys();
        for (ConfigKey<?> defined : keys) {
            if (defined.name().equals(key)) {
                return Optional.of(defined);
            }
        }
        for (ConfigKey<?> defined : keys) {
            Optional<String> placeholder = defined.placeholderIn(key);
            if (placeholder.isPresent()) {
                return Optional.of(defined.forName(placeholder.get()));
            }
        }
        return Optional.empty();
    }

    boolean defines(ConfigKey<?> key) {
        return keys().stream().anyMatch(defined -> defined.definedAs().equals(key.definedAs()));
    }

    /** The prefixes and names passed on. */
    List<String> passedOnNames() {
        return passedOn().stream().map(PassedOn::name).toList();
    }

    boolean passesOn(String prefixOrName) {
        return passedOn().stream().anyMatch(passed -> passed.name().equals(prefixOrName));
    }

    private boolean knows(String key) {
        return keyFor(key).isPresent() || passedOn().stream().anyMatch(passed -> passed.covers(key));
    }

    private Optional<String> keyForVariable(String variable) {
        for (ConfigKey<?> key : keys()) {
            if (!key.isTemplate() && key.variable().equals(variable)) {
                return Optional.of(key.name());
            }
        }
        return keys().stream().filter(ConfigKey::isTemplate).map(key -> key.keyForVariable(variable)).flatMap(Optional::stream).findFirst()
                .or(() -> passedOn().stream().map(passed -> passed.keyForVariable(variable)).flatMap(Optional::stream).findFirst());
    }

    /** The known key nearest to {@code unknown} in edit distance, if one is near enough to be what was meant. */
    private Optional<String> suggestion(String unknown) {
        List<String> candidates = new ArrayList<>();
        for (ConfigKey<?> key : keys()) {
            candidates.add(key.isTemplate() ? withPlaceholderFrom(key.name(), unknown) : key.name());
        }
        passedOn().stream().map(PassedOn::name).filter(name -> !name.endsWith(".")).forEach(candidates::add);
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(unknown, candidate);
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        return best <= Math.max(2, unknown.length() / 2) ? Optional.ofNullable(nearest) : Optional.empty();
    }

    /** {@code sensors.<name>.interval} with the segment {@code unknown} has where the placeholder stands, if it has one there. */
    private static String withPlaceholderFrom(String template, String unknown) {
        String start = template.substring(0, template.indexOf('<'));
        String end = template.substring(template.indexOf('>') + 1);
        if (!unknown.startsWith(start)) {
            return template;
        }
        var segment = SEGMENT.matcher(unknown.substring(start.length()));
        return segment.lookingAt() && !segment.group().isEmpty() ? start + segment.group() + end : template;
    }

    /** Levenshtein distance: the fewest inserted, deleted or replaced characters that make {@code a} into {@code b}. */
    public static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
