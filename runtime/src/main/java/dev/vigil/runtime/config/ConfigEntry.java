package dev.vigil.runtime.config;

/** What a {@link ConfigDefinition} is made of: keys, secrets, and other definitions (whose entries it takes in). */
public sealed interface ConfigEntry permits ConfigKey, SecretKey, ConfigDefinition {
}
