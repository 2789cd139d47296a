package dev.vigil.actions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.runtime.config.ConfigType;
import dev.vigil.runtime.config.Durations;

/**
 * The settings of one action as written (a value is a text or a list of texts), read by type: each getter checks
 * its value and throws an {@link ActionSettingException} naming the key. A getter without a default makes its key
 * required. {@link #refuseUnknown} then refuses any key nobody asked for.
 */
public final class ActionSettings {

    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)\\s*%");

    private final String what;
    private final Map<String, Object> values;

    /**
     * @param what   how messages call these settings, e.g. {@code "library action 'clean-tmp' (clean-files)"}
     * @param values each a {@code String} or a {@code List<String>}
     */
    public ActionSettings(String what, Map<String, ?> values) {
        this.what = Objects.requireNonNull(what, "what can't be null");
        this.values = new LinkedHashMap<>(values);
        this.values.forEach((key, value) -> {
            if (!(value instanceof String) && !(value instanceof List<?>)) {
                throw new IllegalArgumentException(key + ": a setting is a text or a list of texts, not " + value);
            }
        });
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The keys given, in the order written. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** A key that is not in {@code known}, refused with the known ones listed. */
    public void refuseUnknown(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new ActionSettingException(key, "unknown key '" + key + "' in " + what + "; known: " + new TreeSet<>(known));
            }
        }
    }

    public String string(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw new ActionSettingException(null, what + ": '" + key + "' is missing");
        }
        if (!(value instanceof String text)) {
            throw new ActionSettingException(key, what + ": '" + key + "' must be a single value, not a list");
        }
        return text.strip();
    }

    public Optional<String> optionalString(String key) {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    /** A list, at least one item; a single value reads as a list of one. */
    public List<String> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw new ActionSettingException(null, what + ": '" + key + "' is missing");
        }
        List<String> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> items.add(String.valueOf(item).strip()));
        } else {
            items.add(((String) value).strip());
        }
        if (items.isEmpty() || items.stream().anyMatch(String::isEmpty)) {
            throw new ActionSettingException(key, what + ": '" + key + "' must list at least one value, none empty");
        }
        return List.copyOf(items);
    }

    /** A duration above zero; {@code fallback} when absent, required when that is null. */
    public Duration positiveDuration(String key, Duration fallback) {
        if (!has(key) && fallback != null) {
            return fallback;
        }
        String text = string(key);
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ActionSettingException(key, what + ": '" + key + "' " + e.getMessage());
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new ActionSettingException(key, what + ": '" + key + "' must be longer than zero, got '" + text + "'");
        }
        return duration;
    }

    /** A size such as {@code 64MiB}, at least {@code min} bytes. */
    public long bytes(String key, long fallback, long min) {
        if (!has(key)) {
            return fallback;
        }
        String text = string(key);
        long bytes;
        try {
            bytes = ConfigType.BYTES.parse().apply(text);
        } catch (IllegalArgumentException e) {
            throw new ActionSettingException(key, what + ": '" + key + "' is " + e.getMessage() + ", got '" + text + "'");
        }
        if (bytes < min) {
            throw new ActionSettingException(key, what + ": '" + key + "' must be at least " + ConfigType.BYTES.format().apply(min)
                    + ", got '" + text + "'");
        }
        return bytes;
    }

    public int integer(String key, int fallback, int min, int max) {
        if (!has(key)) {
            return fallback;
        }
        String text = string(key);
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ActionSettingException(key, what + ": '" + key + "' must be a whole number from " + min + " to " + max + ", got '" + text + "'");
    }

    /** {@code 80%} as 0.8: above 0 and below {@code maxPercent} %. Required. */
    public double percent(String key, double maxPercent) {
        String text = string(key);
        Matcher matcher = PERCENT.matcher(text);
        double percent = matcher.matches() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
        if (!(percent > 0 && percent <= maxPercent)) {
            throw new ActionSettingException(key, what + ": '" + key + "' must be a percentage above 0% and at most " + (int) maxPercent
                    + "%, such as 80%; got '" + text + "'");
        }
        return percent / 100;
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        String text = string(key);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ActionSettingException(key, what + ": '" + key + "' must be true or false, got '" + text + "'");
        };
    }

    /** An absolute path to an executable file; {@code fallback} when absent. */
    public Path executable(String key, Path fallback) {
        Path path = has(key) ? Path.of(string(key)) : fallback;
        if (!path.isAbsolute() || !Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new ActionSettingException(has(key) ? key : null, what + ": " + (has(key) ? "'" + key + "' " : "the default " + key + " ")
                    + path + " must be an absolute path to an executable file");
        }
        return path;
    }

    /**
     * Directories given as absolute paths that exist and are written as they really are: no symbolic link on the way,
     * no {@code .} or {@code ..}, so what is allow-listed is what is checked at run time.
     */
    public List<Path> directories(String key) {
        List<Path> directories = new ArrayList<>();
        for (String item : list(key)) {
            Path path = Path.of(item);
            if (!path.isAbsolute() || !Files.isDirectory(path)) {
                throw new ActionSettingException(key, what + ": '" + key + "' lists " + item + ", which is not an absolute path to a directory");
            }
            try {
                if (!path.toRealPath().equals(path.normalize()) || !path.normalize().equals(path)) {
                    throw new ActionSettingException(key, what + ": '" + key + "' lists " + item + ", which is really " + path.toRealPath()
                            + "; write the real path");
                }
            } catch (IOException e) {
                throw new ActionSettingException(key, what + ": '" + key + "' lists " + item + ", which cannot be read: " + e.getMessage());
            }
            if (path.getParent() == null) {
                throw new ActionSettingException(key, what + ": '" + key + "' must not allow the whole file system (/)");
            }
            directories.add(path);
        }
        return List.copyOf(directories);
    }

    /** How messages call these settings. */
    public String what() {
        return what;
    }
}
