package dev.vigil.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of one Vigil component: a properties file, overlaid by environment variables, read through
 * typed getters that fail with a {@link ConfigException} naming the key.
 *
 * <p>The variable for key {@code kafka.bootstrap.servers} is {@code VIGIL_KAFKA_BOOTSTRAP_SERVERS}
 * (upper case, dots and dashes as underscores): the place for secrets, which never belong on a command
 * line. Variables only override keys the component defines or that share a prefix it asks for.
 */
public final class ConfigSource {

    private final Map<String, String> values;
    private final String origin;

    private ConfigSource(Map<String, String> values, String origin) {
        this.values = Map.copyOf(values);
        this.origin = origin;
    }

    /** The file's settings (if a file is given) with the environment's {@code VIGIL_*} variables over them. */
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
        return new ConfigSource(values, file.map(Path::toString).orElse("defaults")).withEnvironment(environment);
    }

    /** Settings from a map, as given: for tests and embedding. */
    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values, "map");
    }

    private ConfigSource withEnvironment(Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>(values);
        Map<String, String> byVariable = new HashMap<>();
        values.keySet().forEach(key -> byVariable.put(variableFor(key), key));
        environment.forEach((variable, value) -> {
            if (variable.startsWith("VIGIL_")) {
                // A variable for a key absent from the file still applies: keys are lower case with dots.
                merged.put(byVariable.getOrDefault(variable, keyFor(variable)), value);
            }
        });
        return new ConfigSource(merged, origin);
    }

    /** These settings, with {@code defaults} filling the keys they lack. */
    public ConfigSource withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new HashMap<>(defaults);
        merged.putAll(values);
        return new ConfigSource(merged, origin);
    }

    /** The environment variable that overrides {@code key}. */
    public static String variableFor(String key) {
        return "VIGIL_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyFor(String variable) {
        return variable.substring("VIGIL_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(key, null,
                "is required (set it in " + origin + " or as " + variableFor(key) + ")"));
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new ConfigException(key, raw.get(), "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw.get(), "not a whole number");
        }
    }

    public double decimal(String key, double defaultValue, double min, double max) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (!(value >= min && value <= max)) {
                throw new ConfigException(key, raw.get(), "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw.get(), "not a number");
        }
    }

    public long bytes(String key, long defaultValue) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String text = raw.get().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long unit = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1L;
        };
        try {
            long value = Long.parseLong(unit == 1 ? text : text.substring(0, text.length() - 1)) * unit;
            if (value <= 0) {
                throw new ConfigException(key, raw.get(), "must be positive");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw.get(), "not a size; write e.g. 512KiB, 64MiB, 1GiB or a number of bytes");
        }
    }

    public Duration duration(String key, Duration defaultValue) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            Duration value = Durations.parse(raw.get());
            if (value.isNegative() || value.isZero()) {
                throw new ConfigException(key, raw.get(), "must be positive");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, raw.get(), e.getMessage());
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, raw.get(), "must be true or false");
        };
    }

    /**
     * The Kafka client settings of a component: every {@code kafka.*} key without the prefix, SASL and TLS
     * included.
     *
     * @throws ConfigException when {@code kafka.bootstrap.servers} is missing
     */
    public Map<String, Object> kafkaClient() {
        Map<String, Object> kafka = new TreeMap<>(withPrefix("kafka."));
        kafka.put("bootstrap.servers", required("kafka.bootstrap.servers"));
        return kafka;
    }

    /**
     * The schema registry client settings: every {@code schema.registry.*} and {@code basic.auth.*} key.
     *
     * @throws ConfigException when {@code schema.registry.url} is missing
     */
    public Map<String, Object> schemaRegistry() {
        Map<String, Object> registry = keysStartingWith("schema.registry.", "basic.auth.");
        registry.put("schema.registry.url", required("schema.registry.url"));
        return registry;
    }

    /** Every key starting with one of {@code prefixes}, kept whole: e.g. the registry client's settings. */
    public Map<String, Object> keysStartingWith(String... prefixes) {
        Map<String, Object> found = new TreeMap<>();
        values.forEach((key, value) -> {
            for (String prefix : prefixes) {
                if (key.startsWith(prefix)) {
                    found.put(key, value);
                }
            }
        });
        return found;
    }

    /** Every key under {@code prefix}, with the prefix removed, in key order. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                found.put(key.substring(prefix.length()), value);
            }
        });
        return found;
    }
}
