package dev.vigil.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Where each part of a running local stack listens: what clients need to connect.
 *
 * @param kafkaBootstrapServers {@code host:port} of the broker
 * @param schemaRegistryUrl     base URL of the Confluent-compatible registry API
 * @param clickHouseHttpUrl     base URL of ClickHouse's HTTP interface
 * @param clickHouseTcpPort     ClickHouse's native-protocol port
 * @param workDir               folder holding data, logs and pid files
 */
public record StackEndpoints(
        String kafkaBootstrapServers,
        String schemaRegistryUrl,
        String clickHouseHttpUrl,
        int clickHouseTcpPort,
        Path workDir) {

    /** File in the work folder that describes the running stack to {@code vigil stack status/stop}. */
    public static final String STATE_FILE = "stack.properties";

    /** Writes this description, and the pid of the JVM running the stack, atomically to {@code file}. */
    public void writeTo(Path file, long ownerPid) {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", kafkaBootstrapServers);
        props.setProperty("schema.registry.url", schemaRegistryUrl);
        props.setProperty("clickhouse.http.url", clickHouseHttpUrl);
        props.setProperty("clickhouse.tcp.port", Integer.toString(clickHouseTcpPort));
        props.setProperty("work.dir", workDir.toAbsolutePath().toString());
        props.setProperty("owner.pid", Long.toString(ownerPid));
        try {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            try (Writer out = Files.newBufferedWriter(partial)) {
                props.store(out, "Vigil local stack: written at start, removed at clean shutdown");
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a description written by {@link #writeTo}; also returns the owner's pid. */
    public static Recorded readFrom(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new StackException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return new Recorded(new StackEndpoints(
                    required(props, "kafka.bootstrap.servers", file),
                    required(props, "schema.registry.url", file),
                    required(props, "clickhouse.http.url", file),
                    Integer.parseInt(required(props, "clickhouse.tcp.port", file)),
                    Path.of(required(props, "work.dir", file))),
                    Long.parseLong(required(props, "owner.pid", file)));
        } catch (NumberFormatException e) {
            throw new StackException(file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** A stack description read from disk, with the pid of the JVM that runs it. */
    public record Recorded(StackEndpoints endpoints, long ownerPid) {
    }

    private static String required(Properties props, String key, Path file) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new StackException(file + " lacks " + key);
        }
        return value;
    }
}
