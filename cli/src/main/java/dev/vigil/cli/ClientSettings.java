package dev.vigil.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a command that talks to Kafka and the registry ({@code --config}, {@code --work-dir}):
 * a config file and {@code VIGIL_*} variables, with the local stack of the work folder filling in
 * {@code kafka.bootstrap.servers}, {@code schema.registry.url} and {@code clickhouse.url} when they are not given.
 */
final class ClientSettings {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: kafka.*, schema.registry.* ... (VIGIL_* variables override it; secrets belong there). "
                    + "Default: the local stack running in the work folder.")
    private Path config;

    @Mixin
    private WorkDirOption workDir;

    /** The work folder chosen. */
    Path workDir() {
        return workDir.get();
    }

    /** The settings from the file, the environment and, for what they lack, the local stack. */
    ConfigSource load() {
        return load(Optional.ofNullable(config), workDir.get());
    }

    private static ConfigSource load(Optional<Path> file, Path workDir) {
        ConfigSource config = ConfigSource.load(file, System.getenv());
        if (config.optional("kafka.bootstrap.servers").isPresent()) {
            return config;
        }
        return LocalStack.running(workDir)
                .map(recorded -> config.withDefaults(Map.of(
                        "kafka.bootstrap.servers", recorded.endpoints().kafkaBootstrapServers(),
                        "schema.registry.url", recorded.endpoints().schemaRegistryUrl(),
                        "clickhouse.url", recorded.endpoints().clickHouseHttpUrl())))
                .orElseThrow(() -> new StackException("No kafka.bootstrap.servers in --config or VIGIL_KAFKA_BOOTSTRAP_SERVERS, and no local "
                        + "stack running in " + workDir + " (start one with: vigil stack start --detach)"));
    }
}
