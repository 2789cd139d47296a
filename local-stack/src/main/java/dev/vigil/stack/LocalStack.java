package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, a schema registry and ClickHouse on this machine, with no Docker: the embedded default behind
 * {@code vigil dev} and the fixture of every integration test.
 *
 * <p>Every start is a fresh stack: the registry keeps schemas in memory, so Kafka data from an earlier
 * run would name schema ids the new registry does not know. The work folder's data is wiped first, after
 * stopping any server a killed earlier run left behind; a stack still running there is refused.
 *
 * <p>The registry (a JVM that takes the longest) and ClickHouse start as child processes first; the
 * in-process broker starts while they boot; then both are awaited. A failure anywhere stops whatever
 * already started. {@link #close()} stops everything in reverse order, and a shutdown hook does the same
 * if the JVM exits first, so no child outlives it (a {@code kill -9} aside: the next start cleans that up).
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final EmbeddedKafkaBroker kafka;
    private final ApicurioRegistry registry;
    private final ClickHouseServer clickHouse;
    private final StackEndpoints endpoints;
    private final Path stateFile;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalStack(EmbeddedKafkaBroker kafka, ApicurioRegistry registry, ClickHouseServer clickHouse, Path workDir) {
        this.kafka = kafka;
        this.registry = registry;
        this.clickHouse = clickHouse;
        this.endpoints = new StackEndpoints(kafka.bootstrapServers(), registry.confluentApiUrl(), clickHouse.httpUrl(),
                clickHouse.tcpPort(), workDir);
        this.stateFile = workDir.resolve(StackEndpoints.STATE_FILE);
        this.shutdownHook = new Thread(this::stopAll, "vigil-local-stack-shutdown");
    }

    /** Starts the stack and blocks until every part answers. */
    public static LocalStack start(StackOptions options) {
        return start(options, message -> { });
    }

    /**
     * Starts the stack and blocks until every part answers, telling {@code progress} what it is doing.
     *
     * @throws StackException naming the part that failed, with the tail of its log
     */
    public static LocalStack start(StackOptions options, Consumer<String> progress) {
        return start(options, progress, true);
    }

    /**
     * As {@link #start(StackOptions, Consumer)}; with {@code stopOnJvmExit} false the caller takes charge of
     * stopping the stack when the JVM exits, after whatever runs on top of it (so Kafka does not vanish
     * under a producer that is still flushing).
     */
    public static LocalStack start(StackOptions options, Consumer<String> progress, boolean stopOnJvmExit) {
        Objects.requireNonNull(options, "options can't be null");
        Path workDir = options.workDir().toAbsolutePath();
        refuseIfRunning(workDir);
        // Both constructors find their binaries: fail before anything starts if one is missing.
        ClickHouseServer clickHouse = new ClickHouseServer(workDir, options.clickHouseHttpPort(), options.clickHouseTcpPort());
        ApicurioRegistry registry = new ApicurioRegistry(workDir, options.registryPort());
        clickHouse.stopStale();
        registry.stopStale();
        wipeData(workDir);
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaBroker(workDir, options.kafkaPort());
        LocalStack stack = new LocalStack(kafka, registry, clickHouse, workDir);
        if (stopOnJvmExit) {
            Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        }
        try {
            progress.accept("starting Apicurio Registry " + ApicurioRegistry.VERSION + " (child process)");
            registry.start();
            progress.accept("starting clickhouse-server (child process)");
            clickHouse.start();
            progress.accept("starting Kafka broker (in-process, KRaft)");
            kafka.start();
            progress.accept("Kafka ready at " + kafka.bootstrapServers());
            clickHouse.awaitReady();
            progress.accept("ClickHouse ready at " + clickHouse.httpUrl());
            progress.accept("waiting for the schema registry");
            registry.awaitReady();
            progress.accept("schema registry ready at " + registry.confluentApiUrl());
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        stack.endpoints.writeTo(stack.stateFile, ProcessHandle.current().pid());
        return stack;
    }

    /** The stack recorded in {@code workDir}'s state file, if its JVM is still alive. */
    public static Optional<StackEndpoints.Recorded> running(Path workDir) {
        Path stateFile = workDir.resolve(StackEndpoints.STATE_FILE);
        if (!Files.exists(stateFile)) {
            return Optional.empty();
        }
        StackEndpoints.Recorded recorded = StackEndpoints.readFrom(stateFile);
        boolean alive = ProcessHandle.of(recorded.ownerPid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(recorded) : Optional.empty();
    }

    private static void refuseIfRunning(Path workDir) {
        running(workDir).ifPresent(recorded -> {
            throw new StackException("A local stack is already running in " + workDir + " (pid " + recorded.ownerPid()
                    + "); stop it first (vigil stack stop) or use another work folder");
        });
    }

    private static void wipeData(Path workDir) {
        try {
            Files.createDirectories(workDir);
            FileTrees.delete(workDir.resolve("kafka-logs"));
            FileTrees.delete(workDir.resolve("clickhouse").resolve("data"));
            FileTrees.delete(workDir.resolve(ApicurioRegistry.DATABASE_FILE)); // its ids name schemas in the deleted topics
        } catch (IOException e) {
            throw new StackException("Cannot prepare the stack's work folder " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Where each part listens. */
    public StackEndpoints endpoints() {
        return endpoints;
    }

    /** The broker, for tests that stop and restart it. */
    public EmbeddedKafkaBroker kafka() {
        return kafka;
    }

    /** The registry process, for tests that stop and restart it. */
    public ApicurioRegistry registry() {
        return registry;
    }

    /** The ClickHouse process, for tests that stop and restart it. */
    public ClickHouseServer clickHouse() {
        return clickHouse;
    }

    /** Stops everything in reverse start order. Safe to call twice. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called during the JVM's shutdown: hooks can no longer be removed, and the hook's stop is a no-op now.
        }
    }

    private synchronized void stopAll() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Stopping the local stack in {}", endpoints.workDir());
        runQuietly("Kafka broker", kafka::stop);
        runQuietly("clickhouse-server", clickHouse::stop);
        runQuietly("Apicurio Registry", registry::stop);
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", stateFile, e.getMessage());
        }
    }

    private static void runQuietly(String what, Runnable stop) {
        try {
            stop.run();
        } catch (RuntimeException e) {
            log.warn("Stopping {} failed: {}", what, e.toString());
        }
    }
}
