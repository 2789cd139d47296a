package dev.vigil.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one), running inside this JVM on
 * loopback. Its log directory survives {@link #stop()}, so {@link #start()} after a stop is a broker
 * restart with all data kept, which the fault-injection tests rely on.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private KafkaRaftServer server;

    /**
     * @param dataDir        where the broker keeps its logs and metadata; formatted on first start
     * @param preferredPort  client port to use if free (0: any)
     */
    public EmbeddedKafkaBroker(Path dataDir, int preferredPort) {
        this.dataDir = dataDir;
        this.port = Ports.preferredOrFree(preferredPort);
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it answers an admin client. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Path logDir = dataDir.resolve("kafka-logs");
        // Only this broker talks to its controller, so the port is drawn afresh at every start: the one
        // used before a stop may have been taken since, and a controller that cannot bind halts the JVM.
        Properties props = serverProperties(logDir, Ports.preferredOrFree(0));
        formatIfNeeded(logDir, props);
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server = null;
            throw new StackException("Kafka broker failed to start on " + bootstrapServers() + ": " + e.getMessage(), e);
        }
        awaitReady();
        log.info("Kafka broker ready on {}", bootstrapServers());
    }

    /** Stops the broker and waits for it; data stays in place for a later {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("Kafka broker on {} stopped", bootstrapServers());
    }

    @Override
    public void close() {
        stop();
    }

    private Properties serverProperties(Path logDir, int controllerPort) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                // One node: every internal topic must live with one replica.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "6"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "6"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // Nobody else joins the group on a single machine: do not wait for them.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Topics come from Vigil's topic registry; a typo must fail, not create a stray topic.
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", "1"),
                Map.entry("log.segment.bytes", Integer.toString(64 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4")));
        return props;
    }

    private void formatIfNeeded(Path logDir, Properties props) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Path config = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "Vigil embedded broker; written for kafka-storage format");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new StackException("Formatting Kafka storage in " + logDir + " failed (" + rc + "): " + output);
            }
        } catch (IOException e) {
            throw new StackException("Cannot prepare Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
        throw new StackException("Kafka broker on " + bootstrapServers() + " did not answer within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), last);
    }
}
