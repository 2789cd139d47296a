package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code prometheus} (2.42 here) as a child process on a loopback port, from a configuration the caller
 * writes (scrape and remote-write sections), with its TSDB in its own folder: a real remote-write sender, and with
 * {@link #withRemoteWriteReceiver()} a real remote-write receiver.
 */
public final class PrometheusServer extends ChildServer {

    /** The Debian binary's name; {@code scripts/install-deps --tests} installs it. */
    public static final String BINARY = "prometheus";

    private final Path dir;
    private final int port;
    private final String configYaml;

    private PrometheusServer(Path dir, int port, String configYaml, boolean remoteWriteReceiver) {
        super("Prometheus", new ChildProcess("prometheus", command(dir, port, remoteWriteReceiver),
                dir.resolve("stdout.log"), dir.resolve("prometheus.pid"), "--config.file=" + dir.resolve("prometheus.yml")),
                Duration.ofSeconds(60), Duration.ofSeconds(20));
        this.dir = dir;
        this.port = port;
        this.configYaml = configYaml;
    }

    /**
     * @param workDir    parent of this server's folder ({@code prometheus/}: config, TSDB, log)
     * @param configYaml the whole {@code prometheus.yml}
     */
    public static PrometheusServer withConfig(Path workDir, String configYaml) {
        return new PrometheusServer(workDir.resolve("prometheus").toAbsolutePath(), Ports.preferredOrFree(0), configYaml, false);
    }

    /** The same server, also accepting remote writes on {@code /api/v1/write}. */
    public PrometheusServer withRemoteWriteReceiver() {
        return new PrometheusServer(dir, port, configYaml, true);
    }

    private static List<String> command(Path dir, int port, boolean remoteWriteReceiver) {
        List<String> command = new java.util.ArrayList<>(List.of(Binaries.locate(BINARY, "prometheus"),
                "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        if (remoteWriteReceiver) {
            command.add("--web.enable-remote-write-receiver");
        }
        return command;
    }

    /** The folder of its config and data, for files the config names (a bearer-token file). */
    public Path dir() {
        return dir;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public boolean isHealthy() {
        return Http.get(url() + "/-/ready").isPresent();
    }

    @Override
    String address() {
        return url();
    }

    @Override
    void beforeStart() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("prometheus.yml"), configYaml);
        } catch (IOException e) {
            throw new StackException("Cannot write " + dir.resolve("prometheus.yml") + ": " + e.getMessage(), e);
        }
    }
}
