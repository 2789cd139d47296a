package dev.vigil.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's {@code prometheus-node-exporter} (1.5.0 here) as a child process on a loopback port: a real scrape target
 * for the gateway's and Prometheus' scrapers. Only collectors that read /proc and /sys are on, and none that runs a
 * command or reads systemd, so it starts the same on a developer machine and in CI.
 */
public final class NodeExporterServer extends ChildServer {

    /** The Debian binary's name; {@code scripts/install-deps --tests} installs it. */
    public static final String BINARY = "prometheus-node-exporter";

    private final int port;

    /** @param workDir parent of this exporter's folder ({@code node-exporter/}: log and pid file) */
    public NodeExporterServer(Path workDir) {
        this(workDir.resolve("node-exporter").toAbsolutePath(), Ports.preferredOrFree(0));
    }

    private NodeExporterServer(Path dir, int port) {
        super("node_exporter", new ChildProcess("node_exporter",
                List.of(Binaries.locate(BINARY, "prometheus-node-exporter"), "--web.listen-address=127.0.0.1:" + port,
                        "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg",
                        "--collector.stat", "--collector.netdev", "--collector.filesystem"),
                dir.resolve("stdout.log"), dir.resolve("node-exporter.pid"), "127.0.0.1:" + port),
                Duration.ofSeconds(30), Duration.ofSeconds(10));
        this.port = port;
    }

    /** {@code 127.0.0.1:PORT}: the target address, as Prometheus' {@code instance} label shows it. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT/metrics}. */
    public String metricsUrl() {
        return "http://" + target() + "/metrics";
    }

    @Override
    public boolean isHealthy() {
        return Http.get(metricsUrl()).map(body -> body.contains("node_exporter_build_info")).orElse(false);
    }

    @Override
    String address() {
        return metricsUrl();
    }
}
