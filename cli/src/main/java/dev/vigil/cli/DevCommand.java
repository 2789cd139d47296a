package dev.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil dev}: everything on this machine with no Docker. Today that is the local stack (Kafka,
 * schema registry, ClickHouse) with Vigil's topics; the pipeline's services join it as they are built.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Runs Vigil on this machine with no Docker: an in-process Kafka broker, Apicurio Registry and",
            "clickhouse-server as child processes, and Vigil's topics. Ctrl-C stops everything."})
final class DevCommand implements Callable<Integer> {

    @Mixin
    private WorkDirOption workDir;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop by itself after this long (e.g. 2m), for scripted runs.")
    private Duration runFor;

    @Option(names = "--any-ports",
            description = "Use free ports instead of the dev defaults (Kafka 19092, registry 18081, ClickHouse 18123/19000).")
    private boolean anyPorts;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        StackOptions options = anyPorts ? StackOptions.anyPorts(workDir.get()) : StackOptions.devDefaults(workDir.get());
        return ForegroundStack.run(out, options, stack -> createTopics(out, stack), Optional.ofNullable(runFor));
    }

    private static void createTopics(PrintWriter out, LocalStack stack) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.endpoints().kafkaBootstrapServers()))) {
            List<TopicProvisioner.Outcome> outcomes = new TopicProvisioner(admin).ensure(Topics.ALL, Optional.empty(), (short) 1);
            out.printf("  Topics: %d created (%s)%n", outcomes.stream().filter(TopicProvisioner.Outcome::created).count(),
                    String.join(", ", outcomes.stream().map(TopicProvisioner.Outcome::topic).toList()));
        }
    }
}
