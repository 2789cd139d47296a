package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A local {@code clickhouse-server} as a child process on loopback, from a config generated into the work
 * folder, with its data there too. Works with Debian's 18.16 and with current releases.
 *
 * <p>The binary is found on the {@code PATH}, in {@code /usr/bin} or {@code /usr/sbin}, or at
 * {@code VIGIL_CLICKHOUSE_SERVER}; when it is missing the error says how to install it.
 */
public final class ClickHouseServer extends ChildServer {

    public static final String BINARY_ENV = "VIGIL_CLICKHOUSE_SERVER";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dir;
    private final int httpPort;
    private final int tcpPort;

    /**
     * @param workDir           parent of this server's folder ({@code clickhouse/}: config, data, logs)
     * @param preferredHttpPort HTTP port to use if free (0: any)
     * @param preferredTcpPort  native-protocol port to use if free (0: any)
     */
    public ClickHouseServer(Path workDir, int preferredHttpPort, int preferredTcpPort) {
        this(workDir.resolve("clickhouse").toAbsolutePath(), Ports.preferredOrFree(preferredHttpPort),
                Ports.preferredOrFree(preferredTcpPort), locateBinary());
    }

    private ClickHouseServer(Path dir, int httpPort, int tcpPort, List<String> binary) {
        super("ClickHouse", process(dir, binary), READY_TIMEOUT, STOP_GRACE);
        this.dir = dir;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
    }

    private static ChildProcess process(Path dir, List<String> binary) {
        String configFile = "--config-file=" + dir.resolve("config.xml");
        List<String> command = new ArrayList<>(binary);
        command.add(configFile);
        return new ChildProcess("clickhouse-server", command, dir.resolve("stdout.log"), dir.resolve("clickhouse.pid"), configFile);
    }

    /** Base URL of the HTTP interface, e.g. {@code http://127.0.0.1:8123}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    @Override
    public boolean isHealthy() {
        return Http.get(httpUrl() + "/ping").map(body -> body.startsWith("Ok")).orElse(false);
    }

    @Override
    String address() {
        return httpUrl() + " (native port " + tcpPort + ")";
    }

    /** Writes the config before each start; the data folder stays, so a stop then start is a restart with data kept. */
    @Override
    void beforeStart() {
        writeConfig();
    }

    private void writeConfig() {
        try {
            for (String sub : List.of("data", "tmp", "user_files", "format_schemas", "logs")) {
                Files.createDirectories(dir.resolve(sub));
            }
            // <yandex> is the root element 18.16 requires; current releases still accept it.
            Files.writeString(dir.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                      <logger>
                        <level>information</level>
                        <log>%1$s/logs/clickhouse-server.log</log>
                        <errorlog>%1$s/logs/clickhouse-server.err.log</errorlog>
                        <size>100M</size>
                        <count>3</count>
                      </logger>
                      <listen_host>127.0.0.1</listen_host>
                      <http_port>%2$d</http_port>
                      <tcp_port>%3$d</tcp_port>
                      <path>%1$s/data/</path>
                      <tmp_path>%1$s/tmp/</tmp_path>
                      <user_files_path>%1$s/user_files/</user_files_path>
                      <format_schema_path>%1$s/format_schemas/</format_schema_path>
                      <users_config>%1$s/users.xml</users_config>
                      <default_profile>default</default_profile>
                      <default_database>default</default_database>
                      <max_concurrent_queries>100</max_concurrent_queries>
                      <mark_cache_size>268435456</mark_cache_size>
                      <uncompressed_cache_size>268435456</uncompressed_cache_size>
                    </yandex>
                    """.formatted(dir, httpPort, tcpPort));
            // Loopback only, so the password-less default user is reachable from this machine alone.
            Files.writeString(dir.resolve("users.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                      <profiles>
                        <default>
                          <max_memory_usage>4000000000</max_memory_usage>
                          <load_balancing>random</load_balancing>
                        </default>
                      </profiles>
                      <users>
                        <default>
                          <password></password>
                          <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                          <profile>default</profile>
                          <quota>default</quota>
                        </default>
                      </users>
                      <quotas>
                        <default>
                          <interval>
                            <duration>3600</duration>
                            <queries>0</queries>
                            <errors>0</errors>
                            <result_rows>0</result_rows>
                            <read_rows>0</read_rows>
                            <execution_time>0</execution_time>
                          </interval>
                        </default>
                      </quotas>
                    </yandex>
                    """);
        } catch (IOException e) {
            throw new StackException("Cannot write the ClickHouse config into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The command that runs the server, without its arguments. */
    static List<String> locateBinary() {
        String configured = System.getenv(BINARY_ENV);
        if (configured != null) {
            if (!Files.isExecutable(Path.of(configured))) {
                throw new StackException(BINARY_ENV + " is " + configured + ", which is not an executable file");
            }
            return List.of(configured);
        }
        Stream<Path> candidates = Stream.concat(
                Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":")).filter(p -> !p.isEmpty()).map(Path::of),
                Stream.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin")));
        List<Path> dirs = candidates.distinct().toList();
        for (Path candidate : dirs) {
            if (Files.isExecutable(candidate.resolve("clickhouse-server"))) {
                return List.of(candidate.resolve("clickhouse-server").toString());
            }
        }
        // Current releases ship one multi-call binary: "clickhouse server".
        for (Path candidate : dirs) {
            if (Files.isExecutable(candidate.resolve("clickhouse"))) {
                return List.of(candidate.resolve("clickhouse").toString(), "server");
            }
        }
        throw new StackException("clickhouse-server not found on PATH, /usr/bin or /usr/sbin. Install it with "
                + "'apt-get install -y clickhouse-server' (Debian; scripts/install-deps does this when run as root), "
                + "or set " + BINARY_ENV + " to its path.");
    }
}
