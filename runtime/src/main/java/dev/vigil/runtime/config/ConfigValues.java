package dev.vigil.runtime.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of one component, checked against its {@link ConfigDefinition}: every value set is known and
 * parsed. Read through the definition's keys only; reading a key the definition lacks is a programming error.
 */
public final class ConfigValues {

    private final ConfigDefinition definition;
    private final Map<String, String> raw;
    private final Map<String, String> where;
    private final Map<String, Object> parsed = new HashMap<>();
    private final String origin;

    ConfigValues(ConfigDefinition definition, Map<String, String> raw, Map<String, String> where, String origin) {
        this.definition = definition;
        this.raw = Map.copyOf(raw);
        this.where = Map.copyOf(where);
        this.origin = origin;
        raw.forEach((key, value) -> definition.keyFor(key).ifPresent(defined -> parsed.put(key, defined.parse(value, where.get(key)))));
    }

    /**
     * The value of {@code key}, or its default.
     *
     * @throws ConfigException naming the key and its variable when it is required and not set
     */
    public <T> T get(ConfigKey<T> key) {
        return optional(key).orElseGet(() -> key.fallback(origin));
    }

    /** The value of {@code key} if it is set; its default does not count. */
    @SuppressWarnings("unchecked") // parsed by the definition's key of the same name, so of the same type
    public <T> Optional<T> optional(ConfigKey<T> key) {
        requireDefined(key);
        if (key.isTemplate()) {
            throw new IllegalArgumentException(key.name() + " stands for several keys: read one of them (forName)");
        }
        return Optional.ofNullable((T) parsed.get(key.name()));
    }

    /** What stands in the placeholder of {@code template}'s keys that are set: {@code cpu} for {@code sensors.cpu.interval}. */
    public SortedSet<String> namesSet(ConfigKey<?> template) {
        requireDefined(template);
        SortedSet<String> names = new TreeSet<>();
        raw.keySet().forEach(key -> template.placeholderIn(key).ifPresent(names::add));
        return names;
    }

    /** Every key set under {@code prefixOrName}, which the definition passes on, whole, in key order. */
    public Map<String, String> passedOn(String prefixOrName) {
        if (!definition.passesOn(prefixOrName)) {
            throw new IllegalArgumentException(prefixOrName + " is not passed on by the settings of " + definition.component());
        }
        Map<String, String> found = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (prefixOrName.endsWith(".") ? key.startsWith(prefixOrName) : key.equals(prefixOrName)) {
                found.put(key, value);
            }
        });
        return found;
    }

    /** Every key set that one of {@code group}'s prefixes and names passes on, whole, in key order. */
    public Map<String, String> passedOn(ConfigDefinition group) {
        Map<String, String> found = new TreeMap<>();
        group.passedOnNames().forEach(passed -> found.putAll(passedOn(passed)));
        return found;
    }

    /** A failure of a check that spans keys, naming {@code key}, its value (unless secret) and where it was set. */
    public ConfigException invalid(ConfigKey<?> key, String problem) {
        requireDefined(key);
        return key.invalid(raw.getOrDefault(key.name(), "(default)"), problem, where.getOrDefault(key.name(), "the default"));
    }

    /** The config file's path, or what stands for it. */
    public String origin() {
        return origin;
    }

    private void requireDefined(ConfigKey<?> key) {
        if (!definition.defines(key)) {
            throw new IllegalArgumentException(key.name() + " is not a setting of " + definition.component());
        }
    }
}
