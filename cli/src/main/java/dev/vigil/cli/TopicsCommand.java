package dev.vigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.TopicSpec;
import dev.vigil.schemas.Topics;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil topics create|describe}: Vigil's topic registry on a Kafka cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Creates or describes Vigil's topics (the topic registry) on a Kafka cluster.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class})
final class TopicsCommand {

    /** Where the cluster is: an explicit bootstrap list, or the local stack of the work folder. */
    static final class ClusterOptions {

        @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
                description = "Kafka to talk to (default: the local stack running in the work folder).")
        private String bootstrapServers;

        @Option(names = "--command-config", paramLabel = "FILE",
                description = "Admin client properties (security.protocol, sasl.*, ssl.*): secrets stay in the file.")
        private Path commandConfig;

        @Mixin
        private WorkDirOption workDir;

        Admin admin() {
            Map<String, Object> config = new HashMap<>();
            if (commandConfig != null) {
                Properties props = new Properties();
                try (Reader in = Files.newBufferedReader(commandConfig)) {
                    props.load(in);
                } catch (IOException e) {
                    throw new IllegalArgumentException("Cannot read --command-config " + commandConfig + ": " + e.getMessage(), e);
                }
                props.forEach((key, value) -> config.put((String) key, value));
            }
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
            return Admin.create(config);
        }

        private String bootstrapServers() {
            if (bootstrapServers != null) {
                return bootstrapServers;
            }
            return LocalStack.running(workDir.get()).map(recorded -> recorded.endpoints().kafkaBootstrapServers())
                    .orElseThrow(() -> new StackException("No --bootstrap-server given and no local stack is running in "
                            + workDir.get() + " (start one with: vigil stack start --detach)"));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates every Vigil topic that does not exist yet; existing topics are left as they are.")
    static final class Create implements Callable<Integer> {

        @Mixin
        private ClusterOptions cluster;

        @Option(names = "--partitions", paramLabel = "N",
                description = "Partitions of each data topic (default: each topic's own; the audit and approvals stay at 1).")
        private Integer partitions;

        @Option(names = "--replication-factor", paramLabel = "N",
                description = "Replicas per partition (default: 3, or the number of brokers if fewer).")
        private Short replicationFactor;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (partitions != null && partitions < 1) {
                throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = cluster.admin()) {
                short replicas = replicationFactor != null ? replicationFactor
                        : (short) Math.min(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
                int warnings = 0;
                for (TopicProvisioner.Outcome outcome : new TopicProvisioner(admin).ensure(Topics.ALL, Optional.ofNullable(partitions), replicas)) {
                    out.printf("  %-30s %s, %d partition(s)%s%n", outcome.topic(), outcome.created() ? "created" : "exists",
                            outcome.partitions(), outcome.warning().map(w -> "  WARNING: " + w).orElse(""));
                    warnings += outcome.warning().isPresent() ? 1 : 0;
                }
                return warnings == 0 ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "Lists Vigil's topics: key, value schema, who writes and reads them, partitions, retention.")
    static final class Describe implements Callable<Integer> {

        @Mixin
        private ClusterOptions cluster;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = cluster.admin()) {
                List<TopicProvisioner.State> states = new TopicProvisioner(admin).describe(Topics.ALL);
                out.printf("%-30s %-10s %-4s %-10s %-21s %-24s %s%n", "TOPIC", "PARTITIONS", "RF", "RETENTION", "VALUE", "KEY",
                        "WRITTEN BY -> READ BY");
                for (TopicProvisioner.State state : states) {
                    TopicSpec topic = state.spec();
                    out.printf("%-30s %-10s %-4s %-10s %-21s %-24s %s -> %s%n", topic.name(),
                            state.exists() ? Integer.toString(state.partitions()) : "MISSING",
                            state.exists() ? Integer.toString(state.replicationFactor()) : "-",
                            retention(state.configs().getOrDefault("retention.ms", topic.configs().get("retention.ms"))),
                            topic.valueType().getSimpleName(), topic.key(), topic.producedBy(), topic.consumedBy());
                }
                return states.stream().allMatch(TopicProvisioner.State::exists) ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }

        private static String retention(String millis) {
            if (millis == null) {
                return "default";
            }
            long ms = Long.parseLong(millis);
            if (ms < 0) {
                return "forever";
            }
            Duration duration = Duration.ofMillis(ms);
            return duration.toHours() % 24 == 0 ? duration.toDays() + "d" : duration.toHours() + "h";
        }
    }
}
