package dev.vigil.runtime.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the text of a setting reads as a value, and how a value is written back for messages and the docs.
 *
 * @param name   what the docs and messages call the type
 * @param parse  text to value; throws {@link IllegalArgumentException} saying what is accepted
 * @param format value to text, in the form {@code parse} reads
 */
public record ConfigType<T>(String name, Function<String, T> parse, Function<T, String> format) {

    public static final ConfigType<String> STRING = new ConfigType<>("string", text -> text, value -> value);

    public static final ConfigType<Integer> INTEGER = new ConfigType<>("whole number", text -> {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }, String::valueOf);

    public static final ConfigType<Double> DECIMAL = new ConfigType<>("number", text -> {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }, value -> BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, ISO-8601, or zero written {@code 0} or {@code 0s}. */
    public static final ConfigType<Duration> DURATION = new ConfigType<>("duration",
            text -> text.matches("0+[a-z]*") ? Duration.ZERO : Durations.parse(text), Durations::format);

    /** A size: {@code 512KiB}, {@code 64MiB}, {@code 1GiB} (or KB, MB, GB, K, M, G: powers of 1024 all), or bytes. */
    public static final ConfigType<Long> BYTES = new ConfigType<>("size", ConfigType::parseBytes, ConfigType::formatBytes);

    public static final ConfigType<Boolean> BOOLEAN = new ConfigType<>("boolean", text -> switch (text.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new IllegalArgumentException("must be true or false");
    }, String::valueOf);

    public static final ConfigType<Path> PATH = new ConfigType<>("path", Path::of, Path::toString);

    public ConfigType {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(parse, "parse can't be null");
        Objects.requireNonNull(format, "format can't be null");
    }

    private static long parseBytes(String raw) {
        String text = raw.toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long unit = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1L;
        };
        try {
            return Long.parseLong(unit == 1 ? text : text.substring(0, text.length() - 1)) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size; write e.g. 512KiB, 64MiB, 1GiB or a number of bytes");
        }
    }

    private static String formatBytes(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % (1L << shifts[i]) == 0) {
                return (bytes >> shifts[i]) + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
