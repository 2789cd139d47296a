package dev.vigil.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.vigil.schemas.config.ConfigSource;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackException;

/**
 * Settings for a command that talks to Kafka and the registry: a config file and {@code VIGIL_*}
 * variables, with the local stack of the work folder filling in {@code kafka.bootstrap.servers} and
 * {@code schema.registry.url} when they are not given.
 */
final class ClientSettings {

    private ClientSettings() {
    }

    static ConfigSource load(Optional<Path> file, Path workDir) {
        ConfigSource config = ConfigSource.load(file, System.getenv());
        if (config.optional("kafka.bootstrap.servers").isPresent()) {
            return config;
        }
        return LocalStack.running(workDir)
                .map(recorded -> config.withDefaults(Map.of(
                        "kafka.bootstrap.servers", recorded.endpoints().kafkaBootstrapServers(),
                        "schema.registry.url", recorded.endpoints().schemaRegistryUrl())))
                .orElseThrow(() -> new StackException("No kafka.bootstrap.servers in --config or VIGIL_KAFKA_BOOTSTRAP_SERVERS, and no local "
                        + "stack running in " + workDir + " (start one with: vigil stack start --detach)"));
    }
}
