package dev.vigil.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

/**
 * One setting, defined once: its name, type, default, checks and doc, in the spirit of Kafka's
 * {@code ConfigDef.define} and debezium's {@code Field}. A value object: every {@code with...} returns a new key.
 * A service lists its keys in a {@link ConfigDefinition} and reads them through {@link ConfigValues#get}; the
 * docs table is generated from the same keys ({@link ConfigDocs}).
 *
 * <pre>{@code
 * static final ConfigKey<Integer> THREADS = ConfigKey.integer("threads", 1, 64).withDefault(1)
 *         .doc("stream threads; more than the input partitions is useless");
 * }</pre>
 *
 * <p>A name may hold one placeholder segment, as in {@code sensors.<name>.interval}: the key then stands for
 * every {@code sensors.X.interval} (X without dots), and {@link #forName} gives the one for X.
 *
 * @param <T> the value's type
 */
public final class ConfigKey<T> implements ConfigEntry {

    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z]+>");

    private final String name;
    private final String definedAs;
    private final ConfigType<T> type;
    private final List<Check<T>> checks;
    private final Fallback<T> fallback;
    private final String shownDefault;
    private final boolean secret;
    private final String doc;

    private record Check<T>(Predicate<? super T> test, String problem) {
    }

    /** What a key is worth when no value is given. */
    private sealed interface Fallback<T> {
        record Required<T>() implements Fallback<T> {
        }

        record None<T>() implements Fallback<T> {
        }

        record Value<T>(T value) implements Fallback<T> {
        }

        record Computed<T>(Supplier<T> value) implements Fallback<T> {
        }
    }

    private ConfigKey(String name, String definedAs, ConfigType<T> type, List<Check<T>> checks, Fallback<T> fallback,
                      String shownDefault, boolean secret, String doc) {
        this.name = name;
        this.definedAs = definedAs;
        this.type = type;
        this.checks = List.copyOf(checks);
        this.fallback = fallback;
        this.shownDefault = shownDefault;
        this.secret = secret;
        this.doc = doc;
    }

    /** A key of a type of one's own, e.g. "a duration of at least a day, or {@code forever}"; optional, no checks. */
    public static <T> ConfigKey<T> of(String name, ConfigType<T> type) {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(type, "type can't be null");
        if (!name.matches("[a-z0-9_.<>-]+") || name.startsWith(".") || name.endsWith(".") || PLACEHOLDER.matcher(name).results().count() > 1) {
            throw new IllegalArgumentException("not a key name: '" + name + "' (lower case, dots, at most one <placeholder> segment)");
        }
        return new ConfigKey<>(name, name, type, List.of(), new Fallback.None<>(), null, false, "");
    }

    public static ConfigKey<String> string(String name) {
        return of(name, ConfigType.STRING);
    }

    public static ConfigKey<Integer> integer(String name, int min, int max) {
        return of(name, ConfigType.INTEGER).validatedBy(value -> value >= min && value <= max, "must be between " + min + " and " + max);
    }

    public static ConfigKey<Double> decimal(String name, double min, double max) {
        return of(name, ConfigType.DECIMAL).validatedBy(value -> value >= min && value <= max, "must be between " + min + " and " + max);
    }

    /** A duration above zero. */
    public static ConfigKey<Duration> duration(String name) {
        return of(name, ConfigType.DURATION).validatedBy(value -> !value.isNegative() && !value.isZero(), "must be positive");
    }

    /** A duration where zero means something ("at once", "none"), written {@code 0} or {@code 0s}. */
    public static ConfigKey<Duration> durationOrZero(String name) {
        return of(name, ConfigType.DURATION).validatedBy(value -> !value.isNegative(), "must not be negative");
    }

    /** A size in bytes above zero ({@code 64MiB}). */
    public static ConfigKey<Long> bytes(String name) {
        return of(name, ConfigType.BYTES).validatedBy(value -> value > 0, "must be positive");
    }

    public static ConfigKey<Boolean> bool(String name) {
        return of(name, ConfigType.BOOLEAN);
    }

    public static ConfigKey<Path> path(String name) {
        return of(name, ConfigType.PATH);
    }

    /** This key with {@code value} when none is given. */
    public ConfigKey<T> withDefault(T value) {
        Objects.requireNonNull(value, "value can't be null");
        return new ConfigKey<>(name, definedAs, type, checks, new Fallback.Value<>(value), shownDefault, secret, doc);
    }

    /** This key with a default worked out when it is needed (the host name), shown in the docs as {@code shownAs}. */
    public ConfigKey<T> withDefault(Supplier<T> value, String shownAs) {
        Objects.requireNonNull(value, "value can't be null");
        Objects.requireNonNull(shownAs, "shownAs can't be null");
        return new ConfigKey<>(name, definedAs, type, checks, new Fallback.Computed<>(value), shownAs, secret, doc);
    }

    /** This key, which must be given: reading it without a value fails naming the key and its variable. */
    public ConfigKey<T> required() {
        return new ConfigKey<>(name, definedAs, type, checks, new Fallback.Required<>(), shownDefault, secret, doc);
    }

    /** This key with its default shown in the docs as {@code markdown} rather than the value itself. */
    public ConfigKey<T> shownAs(String markdown) {
        return new ConfigKey<>(name, definedAs, type, checks, fallback, Objects.requireNonNull(markdown, "markdown can't be null"), secret, doc);
    }

    /** This key, refusing a value {@code test} rejects with a message naming the key and saying {@code problem}. */
    public ConfigKey<T> validatedBy(Predicate<? super T> test, String problem) {
        List<Check<T>> more = new ArrayList<>(checks);
        more.add(new Check<>(Objects.requireNonNull(test, "test can't be null"), Objects.requireNonNull(problem, "problem can't be null")));
        return new ConfigKey<>(name, definedAs, type, more, fallback, shownDefault, secret, doc);
    }

    /** This key, whose value never appears in a message. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, definedAs, type, checks, fallback, shownDefault, true, doc);
    }

    /** This key with its line in the docs table (markdown). */
    public ConfigKey<T> doc(String markdown) {
        return new ConfigKey<>(name, definedAs, type, checks, fallback, shownDefault, secret, Objects.requireNonNull(markdown, "markdown can't be null"));
    }

    /** The key for {@code value} in place of the placeholder: {@code sensors.<name>.interval} for {@code cpu} is {@code sensors.cpu.interval}. */
    public ConfigKey<T> forName(String value) {
        if (!isTemplate()) {
            throw new IllegalStateException(name + " has no <placeholder>");
        }
        if (!value.matches("[^.]+")) {
            throw new IllegalArgumentException("'" + value + "' cannot stand in a key's segment");
        }
        return new ConfigKey<>(PLACEHOLDER.matcher(name).replaceFirst(Matcher.quoteReplacement(value)), definedAs, type, checks, fallback,
                shownDefault, secret, doc);
    }

    public String name() {
        return name;
    }

    /** The environment variable for this key: {@code VIGIL_} and the name in upper case, dots and dashes as {@code _}. */
    public String variable() {
        return ConfigSource.variableFor(name);
    }

    public String doc() {
        return doc;
    }

    /** Whether the name still holds its placeholder. */
    boolean isTemplate() {
        return PLACEHOLDER.matcher(name).find();
    }

    /** The name as defined, placeholder included: two keys from one template share it. */
    String definedAs() {
        return definedAs;
    }

    boolean isSecret() {
        return secret;
    }

    /** {@code value} written the way {@link #parse} reads it. */
    String format(T value) {
        return type.format().apply(value);
    }

    /** The value {@code raw} stands for, checked; {@code where} says where it was set, for the message. */
    T parse(String raw, String where) {
        T value;
        try {
            value = type.parse().apply(raw.strip());
        } catch (IllegalArgumentException e) {
            throw invalid(raw, e.getMessage(), where);
        }
        check(value, raw, where);
        return value;
    }

    private void check(T value, String raw, String where) {
        for (Check<T> check : checks) {
            if (!check.test().test(value)) {
                throw invalid(raw, check.problem(), where);
            }
        }
    }

    /** A message naming this key, its value (unless secret), the problem and where the value was set. */
    ConfigException invalid(String raw, String problem, String where) {
        return new ConfigException(name, secret ? "(hidden)" : raw, problem + " (" + where + ")");
    }

    /** The value when none is given: the default, or a failure naming the key and its variable when it is required. */
    T fallback(String origin) {
        if (fallback instanceof Fallback.Value<T> value) {
            return value.value();
        }
        if (fallback instanceof Fallback.Computed<T> computed) {
            T value = computed.value().get();
            check(value, format(value), "the default");
            return value;
        }
        if (fallback instanceof Fallback.Required<T>) {
            throw new ConfigException(name, null, "is required (set it in " + origin + " or as " + variable() + ")");
        }
        throw new IllegalStateException(name + " has no default: read it with ConfigValues.optional");
    }

    boolean isRequired() {
        return fallback instanceof Fallback.Required<T>;
    }

    /** The placeholder's value if {@code key} is one of this template's keys. */
    Optional<String> placeholderIn(String key) {
        if (!isTemplate()) {
            return Optional.empty();
        }
        String[] around = PLACEHOLDER.split(name, -1);
        Matcher matcher = Pattern.compile(Pattern.quote(around[0]) + "([^.]+)" + Pattern.quote(around[1])).matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The key {@code variable} sets, if it is this key's (or, for a template, one of its keys'). */
    Optional<String> keyForVariable(String variable) {
        if (!isTemplate()) {
            return variable.equals(variable()) ? Optional.of(name) : Optional.empty();
        }
        String[] around = PLACEHOLDER.split(name, -1);
        Matcher matcher = Pattern.compile(Pattern.quote(ConfigSource.variableFor(around[0])) + "(.+)"
                + Pattern.quote(ConfigSource.variableFor(around[1]).substring("VIGIL_".length()))).matcher(variable);
        return matcher.matches() ? Optional.of(around[0] + matcher.group(1).toLowerCase(Locale.ROOT) + around[1]) : Optional.empty();
    }

    /** The default as the docs table shows it. */
    String shownDefault() {
        if (shownDefault != null) {
            return shownDefault;
        }
        if (fallback instanceof Fallback.Value<T> value) {
            return "`" + format(value.value()) + "`";
        }
        return fallback instanceof Fallback.Required<T> ? "(required)" : "none";
    }

    @Override
    public String toString() {
        return name;
    }
}
