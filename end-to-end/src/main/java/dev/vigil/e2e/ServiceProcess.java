package dev.vigil.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.vigil.gateway.GatewayApp;
import dev.vigil.remediation.RemediationService;
import dev.vigil.sinks.SinkApp;
import dev.vigil.stack.Ports;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.streams.StreamsApp;

/**
 * One Vigil service (the streams application, the sink or the remediation consumer) in its own JVM, as it runs in production: started
 * from a properties file, stopped with SIGTERM or killed with SIGKILL, restarted on the same HTTP port, its
 * {@code /metrics} and {@code /healthz} read over HTTP and its output kept in one log file per start.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Class<?> main;
    private final Path workDir;
    private final Path config;
    private final int httpPort;
    private final List<String> jvmFlags;
    private final List<Path> logs = new ArrayList<>();
    private Process process;
    private volatile String metricsToken;

    private ServiceProcess(String name, Class<?> main, Path workDir, Map<String, String> settings, String... jvmFlags) {
        this.name = name;
        this.main = main;
        this.workDir = workDir;
        this.httpPort = Ports.preferredOrFree(0);
        this.jvmFlags = List.of(jvmFlags);
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("http.port", Integer.toString(httpPort));
        this.config = workDir.resolve(name + ".properties");
        try {
            Files.createDirectories(workDir);
            Files.writeString(config, all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    /** The streams application on the stack; {@code settings} add to or override the defaults (state under {@code workDir}). */
    public static ServiceProcess streams(Path workDir, StackEndpoints stack, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(common(stack));
        all.put("state.dir", workDir.resolve("streams-state").toString());
        all.putAll(settings);
        return new ServiceProcess("streams", StreamsApp.class, workDir, all, "-Xmx1g");
    }

    /** The sink, writing to the ClickHouse at {@code clickHouseUrl} (the stack's, or a proxy in front of it). */
    public static ServiceProcess sink(Path workDir, StackEndpoints stack, String clickHouseUrl, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(common(stack));
        all.put("clickhouse.url", clickHouseUrl);
        all.putAll(settings);
        return new ServiceProcess("sink", SinkApp.class, workDir, all, "-Xmx1g");
    }

    /**
     * The remediation consumer on the stack; {@code settings} must name at least {@code policy.file} and the audit key
     * ({@code audit.key} or {@code audit.key.file}); its audit checkpoints go under {@code workDir}.
     */
    public static ServiceProcess remediation(Path workDir, StackEndpoints stack, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(common(stack));
        all.put("audit.checkpoints.file", workDir.resolve("remediation-audit-checkpoints").toString());
        all.putAll(settings);
        return new ServiceProcess("remediation", RemediationService.class, workDir, all, "-Xmx256m");
    }

    /** The ingest gateway on the stack, its OTLP/gRPC port on any free port; {@code settings} add to or override that. */
    public static ServiceProcess gateway(Path workDir, StackEndpoints stack, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(common(stack));
        all.put("otlp.grpc.port", "0");
        all.putAll(settings);
        // As the vigil launcher runs it: the gateway's kept-series tables are read at random per sample, and huge pages
        // (THP is "madvise" on most distributions, so the JVM must ask) cut their TLB misses (docs/benchmarks.md).
        return new ServiceProcess("gateway", GatewayApp.class, workDir, all, "-Xmx1g", "-XX:+UseTransparentHugePages");
    }

    private static Map<String, String> common(StackEndpoints stack) {
        return Map.of("kafka.bootstrap.servers", stack.kafkaBootstrapServers(), "schema.registry.url", stack.schemaRegistryUrl());
    }

    /** Starts the service (again), with its output in a new log file. */
    public synchronized ServiceProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        Path log = workDir.resolve(name + "-" + (logs.size() + 1) + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(jvmFlags);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), config.toString()));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        logs.add(log);
        if (logs.size() == 1) {
            // A harness stopped by SIGTERM or Ctrl-C must not leave the service running behind it.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (this) {
                    if (process != null) {
                        process.destroyForcibly();
                    }
                }
            }, name + "-reaper"));
        }
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no commit; waits until the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a minute. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            if (!waitForExit(Duration.ofSeconds(60))) {
                kill();
            }
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The running process' pid. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** Sends {@code token} with every scrape of {@code /metrics}: for a service started with an access file. */
    public ServiceProcess metricsToken(String token) {
        this.metricsToken = token;
        return this;
    }

    public URI metricsUri() {
        return uri("/metrics");
    }

    /** {@code path} on the service's HTTP face, e.g. {@code /v1/silences}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** The sum of the meter's values across its tags on {@code /metrics}; 0 while the service does not answer. */
    public double meter(String prometheusName) {
        return ProcessStats.scrape(metricsUri(), ProcessStats.meter(prometheusName), metricsToken);
    }

    /** A scrape of {@code /metrics} matched by {@code pattern} (group 1, summed); 0 while the service does not answer. */
    public double scrape(Pattern pattern) {
        return ProcessStats.scrape(metricsUri(), pattern, metricsToken);
    }

    /** {@code /healthz}: the HTTP status and body, or empty while the service does not answer. */
    public Optional<Health> health() {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri("/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Health(answer.statusCode(), answer.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** What {@code /healthz} answered. */
    public record Health(int status, String body) {
        public boolean isUp() {
            return status == 200;
        }
    }

    /** Everything the service wrote, over all its starts. */
    public String output() {
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            try {
                all.append(Files.readString(log));
            } catch (IOException e) {
                all.append("(cannot read ").append(log).append(": ").append(e.getMessage()).append(")\n");
            }
        }
        return all.toString();
    }

    /** What the current (latest) start wrote. */
    public String currentOutput() {
        try {
            return logs.isEmpty() ? "" : Files.readString(logs.get(logs.size() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + pid() + ")" : " (not running)") + ", logs " + logs;
    }

}
