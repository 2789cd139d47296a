package dev.vigil.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.vigil.remediation.OperatorRecords;
import dev.vigil.remediation.RemediationKeys;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.sinks.SinkKeys;
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

    /**
     * What a person's command writes to and reads from Vigil's topics, on the cluster and registry of the remediation
     * consumer's settings file (its SASL and TLS settings included).
     */
    OperatorRecords records() {
        return OperatorRecords.of(RemediationKeys.DEFINITION.read(load()));
    }

    /** The settings from the file, the environment and, for what they lack, the local stack. */
    ConfigSource load() {
        return load(Optional.ofNullable(config), workDir.get());
    }

    private static ConfigSource load(Optional<Path> file, Path workDir) {
        ConfigSource config = ConfigSource.load(file, System.getenv());
        if (config.isSet(CommonKeys.KAFKA_BOOTSTRAP_SERVERS)) {
            return config;
        }
        // Offered to every component; each takes those its definition has (the sink and the console have clickhouse.url).
        return LocalStack.running(workDir)
                .map(recorded -> config
                        .withFallback(CommonKeys.KAFKA_BOOTSTRAP_SERVERS, recorded.endpoints().kafkaBootstrapServers())
                        .withFallback(CommonKeys.SCHEMA_REGISTRY_URL, recorded.endpoints().schemaRegistryUrl())
                        .withFallback(SinkKeys.CLICKHOUSE_URL, recorded.endpoints().clickHouseHttpUrl()))
                .orElseThrow(() -> new StackException("No kafka.bootstrap.servers in --config or VIGIL_KAFKA_BOOTSTRAP_SERVERS, and no local "
                        + "stack running in " + workDir + " (start one with: vigil stack start --detach)"));
    }
}
