package dev.vigil.stack;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start a local stack.
 *
 * @param workDir            folder for data, logs, pid files and the state file
 * @param kafkaPort          preferred broker port; 0 for any free port
 * @param registryPort       preferred registry port; 0 for any free port
 * @param clickHouseHttpPort preferred ClickHouse HTTP port; 0 for any free port
 * @param clickHouseTcpPort  preferred ClickHouse native port; 0 for any free port
 */
public record StackOptions(Path workDir, int kafkaPort, int registryPort, int clickHouseHttpPort, int clickHouseTcpPort) {

    /** Ports for {@code vigil dev}: off the usual defaults, so a real Kafka or ClickHouse on this machine is left alone. */
    public static final int DEV_KAFKA_PORT = 19092;
    public static final int DEV_REGISTRY_PORT = 18081;
    public static final int DEV_CLICKHOUSE_HTTP_PORT = 18123;
    public static final int DEV_CLICKHOUSE_TCP_PORT = 19000;

    public StackOptions {
        Objects.requireNonNull(workDir, "workDir can't be null");
        for (int port : new int[] {kafkaPort, registryPort, clickHouseHttpPort, clickHouseTcpPort}) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    /** Any free ports: for tests, which must never clash with each other or with a dev stack. */
    public static StackOptions anyPorts(Path workDir) {
        return new StackOptions(workDir, 0, 0, 0, 0);
    }

    /** The dev defaults, each falling back to a free port when taken. */
    public static StackOptions devDefaults(Path workDir) {
        return new StackOptions(workDir, DEV_KAFKA_PORT, DEV_REGISTRY_PORT, DEV_CLICKHOUSE_HTTP_PORT, DEV_CLICKHOUSE_TCP_PORT);
    }
}
