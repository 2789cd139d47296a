package dev.vigil.runtime.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;

/**
 * A secret (a password, an HMAC key): {@code NAME} from the environment ({@code VIGIL_NAME}; the config file
 * works too, but the environment is the place), or the contents of the file {@code NAME.file} names, which
 * wins when both are set. Two keys, one docs row; the value never appears in a message.
 */
public final class SecretKey implements ConfigEntry {

    private final ConfigKey<String> value;
    private final ConfigKey<Path> file;
    private final boolean required;

    private SecretKey(ConfigKey<String> value, ConfigKey<Path> file, boolean required) {
        this.value = value;
        this.file = file;
        this.required = required;
    }

    /** An optional secret: {@link #get} is empty when neither key is set. */
    public static SecretKey named(String name, String doc) {
        return new SecretKey(ConfigKey.string(name).secret().doc(doc), ConfigKey.path(name + ".file"), false);
    }

    /** This secret, which must be set: {@link #get} fails naming its variable and file key otherwise. */
    public SecretKey required() {
        return new SecretKey(value, file, true);
    }

    /** The key holding the secret itself. */
    public ConfigKey<String> value() {
        return value;
    }

    /** The key naming a file that holds it. */
    public ConfigKey<Path> file() {
        return file;
    }

    /**
     * The secret, stripped of surrounding white space; empty if it is optional and not set.
     *
     * @throws ConfigException naming the key when the file cannot be read, or a required secret is not set
     */
    public String get(ConfigValues values) {
        Optional<Path> path = values.optional(file);
        if (path.isPresent()) {
            try {
                return Files.readString(path.get(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException(file.name(), path.get().toString(), "cannot be read: " + e.getMessage());
            }
        }
        Optional<String> given = values.optional(value);
        if (given.isEmpty() && required) {
            throw new ConfigException(value.name(), "(missing)", "set " + value.variable() + " or " + file.name());
        }
        return given.orElse("");
    }

    /** Its row in a docs table. */
    String row() {
        return "| `" + value.name() + "`, `" + file.name() + "` | " + (required ? "(required)" : "none") + " | " + value.doc()
                + "; from `" + value.variable() + "` or the file `" + file.name() + "` names, never logged |";
    }

    @Override
    public String toString() {
        return value.name() + " / " + file.name();
    }
}
