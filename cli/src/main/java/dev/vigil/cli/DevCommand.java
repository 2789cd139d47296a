package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;
import dev.vigil.collectors.agent.AgentConfig;
import dev.vigil.collectors.agent.CollectorAgent;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulationRunner;
import dev.vigil.console.ConsoleApp;
import dev.vigil.gateway.GatewayApp;
import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.RemediationService;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.Services;
import dev.vigil.runtime.security.PasswordHashes;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.SinkApp;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackOptions;
import dev.vigil.streams.StreamsApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil dev}: everything on this machine with no Docker. Today that is the local stack (Kafka,
 * schema registry, ClickHouse) with Vigil's topics, the streams application, the ClickHouse sink, remediation in dry run, the
 * operator console (with a one-time admin password), a collector for this host
 * and, on request, a simulated fleet; the pipeline's other services join as they are built.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Runs Vigil on this machine with no Docker: an in-process Kafka broker, Apicurio Registry and",
            "clickhouse-server as child processes, Vigil's topics, the streams application, the ClickHouse sink, remediation in dry run,",
            "the operator console (its address and a one-time admin password are printed), a collector for this host, the ingest gateway",
            "(its OTLP/HTTP and OTLP/gRPC addresses are printed) and, with --simulate,",
            "a simulated fleet with injected anomalies. Ctrl-C stops everything."})
final class DevCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DevCommand.class);

    @Mixin
    private WorkDirOption workDir;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop by itself after this long (e.g. 2m), for scripted runs.")
    private Duration runFor;

    @Option(names = "--any-ports",
            description = "Use free ports instead of the dev defaults (Kafka 19092, registry 18081, ClickHouse 18123/19000).")
    private boolean anyPorts;

    @Option(names = "--simulate", paramLabel = "HOSTS", defaultValue = "0",
            description = "Also publish this many simulated hosts (50 series each, real time, injected anomalies).")
    private int simulatedHosts;

    @Option(names = "--backfill", paramLabel = "DURATION", defaultValue = "2h", converter = DurationConverter.class,
            description = "With --simulate: this much simulated history first, as fast as it goes (default 2h; 0s for none).")
    private Duration backfill;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (simulatedHosts < 0) {
            throw new IllegalArgumentException("--simulate must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        StackOptions options = anyPorts ? StackOptions.anyPorts(workDir.get()) : StackOptions.devDefaults(workDir.get());
        return ForegroundStack.run(out, options, stack -> startPipeline(out, stack), Optional.ofNullable(runFor));
    }

    /** Topics, the collector, the simulator; returns what stops them, last started first. */
    private AutoCloseable startPipeline(PrintWriter out, LocalStack stack) {
        StackEndpoints endpoints = stack.endpoints();
        createTopics(out, endpoints);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            AgentConfig collector = AgentConfig.from(ConfigSource.of(Map.of(
                    "kafka.bootstrap.servers", endpoints.kafkaBootstrapServers(),
                    "schema.registry.url", endpoints.schemaRegistryUrl(),
                    "host.labels.environment", "dev",
                    "spool.dir", endpoints.workDir().resolve("collector-spool").toString(),
                    "http.port", "0")));
            StreamsApp streams = StreamsApp.start(StreamsCommand.devConfig(endpoints.kafkaBootstrapServers(),
                    endpoints.schemaRegistryUrl(), endpoints.workDir()));
            started.add(streams);
            out.printf("  Streams: scoring, rollups, forecasts and alerts; state on http://%s/v1/hosts/{host}%n", streams.httpAddress());
            SinkApp sink = SinkApp.start(SinkCommand.devConfig(endpoints.kafkaBootstrapServers(), endpoints.schemaRegistryUrl(),
                    endpoints.clickHouseHttpUrl()));
            started.add(sink);
            out.printf("  Sink: every topic into ClickHouse database vigil (%s); health on http://%s/healthz%n",
                    endpoints.clickHouseHttpUrl(), sink.httpAddress());
            // A fresh admin password each run, printed once below and kept only as its Argon2id hash in the access file.
            char[] adminPassword = oneTimePassword();
            RemediateCommand.writeDevAccessFile(endpoints.workDir(), Optional.of(PasswordHashes.hash(adminPassword)));
            RemediationConfig remediationConfig = RemediateCommand.devConfig(endpoints.kafkaBootstrapServers(),
                    endpoints.schemaRegistryUrl(), endpoints.workDir());
            RemediationService remediation = RemediationService.start(remediationConfig);
            started.add(remediation);
            out.printf("  Remediation: dry run, policy %s; decisions on vigil.remediation.decisions, audit on vigil.remediation.audit%n",
                    remediationConfig.policyFile());
            out.printf("  Approvals: signed; access file %s, approver key %s (vigil approve ID --key-file %s)%n",
                    remediationConfig.httpSecurity().accessFile().orElseThrow(), RemediateCommand.devApproverKey(endpoints.workDir()),
                    RemediateCommand.devApproverKey(endpoints.workDir()));
            ConsoleApp console = ConsoleCommand.startDev(endpoints.kafkaBootstrapServers(), endpoints.schemaRegistryUrl(),
                    endpoints.clickHouseHttpUrl(), endpoints.workDir(), anyPorts);
            started.add(console);
            out.printf("  Console: %s/login as admin, one-time password %s (new at each start; approvals given there are signed by "
                    + "the console for you)%n", console.url(), new String(adminPassword));
            java.util.Arrays.fill(adminPassword, '\0');
            CollectorAgent agent = CollectorAgent.start(collector);
            started.add(agent);
            out.printf("  Collector: this host as %s every %s; push metrics to http://127.0.0.1:%d/v1/metrics%n",
                    collector.hostId(), collector.interval().toSeconds() + " s", agent.httpPort());
            GatewayApp gateway = GatewayApp.start(GatewayCommand.devConfig(endpoints.kafkaBootstrapServers(), endpoints.schemaRegistryUrl()));
            started.add(gateway);
            out.printf("  Gateway: OTLP/HTTP %s, OTLP/gRPC %s (host id from host.name, service.instance.id or instance)%n",
                    gateway.addresses().get("OTLP/HTTP"), gateway.addresses().get("OTLP/gRPC"));
            if (simulatedHosts > 0) {
                started.add(startSimulator(out, endpoints));
            }
            DevStatusView view = new DevStatusView(out, new ClickHouse(endpoints.clickHouseHttpUrl(), "default", "", "vigil", Duration.ofSeconds(10)),
                    () -> streams.metrics().counter("vigil.streams.samples.scored").count(), System.console() != null, Duration.ofSeconds(5));
            view.start();
            started.add(view);
        } catch (Exception e) {
            Services.closeInReverse(started, log);
            throw new IllegalStateException("Cannot start the pipeline: " + e.getMessage(), e);
        }
        return () -> Services.closeInReverse(started, log);
    }

    /**
     * A simulated fleet: first {@code --backfill} of history as fast as Kafka takes it (so the detectors are past
     * their warm-up and anomalies have happened by the time the view shows up), then on in real time.
     */
    private AutoCloseable startSimulator(PrintWriter out, StackEndpoints endpoints) {
        Path truth = endpoints.workDir().resolve("simulator-truth.jsonl");
        Duration interval = Duration.ofSeconds(10);
        long backfillTicks = backfill.toMillis() / interval.toMillis();
        FleetSimulator simulator = new FleetSimulator(new FleetSimulator.Options(simulatedHosts, 50, 1,
                Instant.now().minus(interval.multipliedBy(backfillTicks)), interval, Duration.ofHours(6), Duration.ofMinutes(30)));
        AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", endpoints.schemaRegistryUrl()));
        Topics topics = new Topics(serdes);
        Map<String, Object> kafka = Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers());
        Producer<String, MetricBatch> batches = SimulationRunner.producer(kafka, topics.metrics().valueSerde().serializer());
        Producer<String, InjectedAnomaly> truths = SimulationRunner.producer(kafka, topics.simulatorTruth().valueSerde().serializer());
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            try {
                if (backfillTicks > 0) {
                    SimulationRunner.run(simulator, interval, new SimulationRunner.Settings(Topics.METRICS.name(), 0, Optional.of(backfillTicks),
                            Optional.of(truth), Optional.of(Topics.SIMULATOR_TRUTH.name())), batches, Optional.of(truths), stop::get);
                }
                SimulationRunner.run(simulator, interval, new SimulationRunner.Settings(Topics.METRICS.name(), 1, Optional.empty(),
                        Optional.of(truth), Optional.of(Topics.SIMULATOR_TRUTH.name())), batches, Optional.of(truths), stop::get);
            } catch (Exception e) {
                log.error("The simulator stopped", e);
            }
        }, "vigil-dev-simulator");
        thread.setDaemon(true);
        thread.start();
        out.printf("  Simulator: %d hosts x 50 series, %s of history first, then in real time; anomalies after 30 min; ground truth in %s%n",
                simulatedHosts, backfill, truth);
        return () -> {
            stop.set(true);
            thread.join(5_000);
            // Bounded: closing aborts what Kafka has not taken, which also ends a flush still waiting in the thread.
            batches.close(Duration.ofSeconds(5));
            truths.close(Duration.ofSeconds(5));
            thread.join(5_000);
            serdes.close();
        };
    }

    /** 18 random bytes as 24 base64url characters: 144 bits, typed once from the terminal. */
    static char[] oneTimePassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    }

    private static void createTopics(PrintWriter out, StackEndpoints endpoints) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
            List<TopicProvisioner.Outcome> outcomes = new TopicProvisioner(admin).ensure(Topics.ALL, Optional.empty(), (short) 1);
            out.printf("  Topics: %d created (%s)%n", outcomes.stream().filter(TopicProvisioner.Outcome::created).count(),
                    String.join(", ", outcomes.stream().map(TopicProvisioner.Outcome::topic).toList()));
        }
    }
}
