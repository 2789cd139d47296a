package dev.vigil.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.config.ConfigException;

/**
 * Where the settings of one Vigil component come from, before they are checked: a properties file (or a map),
 * the environment's {@code VIGIL_*} variables, and fallbacks the command adds (the local stack's addresses, a
 * folder under the work folder). A {@link ConfigDefinition} reads it into {@link ConfigValues}; that is where
 * unknown keys are refused and variables matched to keys.
 *
 * <p>The variable for key {@code kafka.bootstrap.servers} is {@code VIGIL_KAFKA_BOOTSTRAP_SERVERS} (upper case,
 * dots and dashes as underscores): the place for secrets, which never belong on a command line.
 */
public final class ConfigSource {

    private static final String PREFIX = "VIGIL_";

    private final Map<String, String> given;
    private final Map<String, String> environment;
    private final Map<String, String> fallbacks;
    private final String origin;

    private ConfigSource(Map<String, String> given, Map<String, String> environment, Map<String, String> fallbacks, String origin) {
        this.given = Map.copyOf(given);
        this.environment = Map.copyOf(environment);
        this.fallbacks = Map.copyOf(fallbacks);
        this.origin = origin;
    }

    /** The file's settings, if a file is given, and the environment's {@code VIGIL_*} variables (the others are left alone). */
    public static ConfigSource load(Optional<Path> file, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        if (file.isPresent()) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file.get())) {
                props.load(in);
            } catch (IOException e) {
                throw new ConfigException("Cannot read config file " + file.get() + ": " + e.getMessage());
            }
            props.forEach((key, value) -> values.put(((String) key).strip(), ((String) value).strip()));
        }
        Map<String, String> variables = new HashMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith(PREFIX)) {
                variables.put(variable, value);
            }
        });
        return new ConfigSource(values, variables, Map.of(), file.map(Path::toString).orElse("a config file"));
    }

    /** Settings from a map, as given, without the environment: for tests and for commands that set a service up themselves. */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values, Map.of(), Map.of(), "the given settings");
    }

    /**
     * These settings, with {@code value} for {@code key} where neither the file nor the environment sets it. A
     * component whose definition lacks the key leaves the fallback alone: commands offer the local stack's
     * addresses to every component, and each takes those it has.
     */
    public <T> ConfigSource withFallback(ConfigKey<T> key, T value) {
        Objects.requireNonNull(value, "value can't be null");
        Map<String, String> more = new HashMap<>(fallbacks);
        more.put(key.name(), key.format(value));
        return new ConfigSource(given, environment, more, origin);
    }

    /** Whether the file (or map) or the environment sets {@code key}, before any fallback. */
    public boolean isSet(ConfigKey<?> key) {
        return !given.getOrDefault(key.name(), "").isEmpty() || !environment.getOrDefault(key.variable(), "").isEmpty();
    }

    /** The environment variable for {@code key}. */
    public static String variableFor(String key) {
        return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The file's path, or what stands for it in messages. */
    String origin() {
        return origin;
    }

    Map<String, String> given() {
        return given;
    }

    /** The {@code VIGIL_*} variables only. */
    Map<String, String> environment() {
        return environment;
    }

    Map<String, String> fallbacks() {
        return fallbacks;
    }
}
