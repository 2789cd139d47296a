package dev.vigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.vigil.console.ConsoleApp;
import dev.vigil.console.ConsoleConfig;
import dev.vigil.runtime.config.ConfigSource;
import picocli.CommandLine.Command;

/** {@code vigil console}: the operator console, until Ctrl-C. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Runs the operator console: open alerts with their reasons and sparklines, approvals (signed with the",
            "console's service key for the signed-in user), silences and the verified audit trail. Needs http.access.file",
            "(its users log in), service.key.file and the audit key (VIGIL_AUDIT_KEY or audit.key.file). Settings: docs/console.md."})
final class ConsoleCommand extends ServiceCommand {

    @Override
    AutoCloseable start(ClientSettings settings, PrintWriter out) throws Exception {
        ConsoleConfig config = ConsoleConfig.from(settings.load());
        ConsoleApp console = ConsoleApp.start(config);
        out.printf("Console on %s as %s; Ctrl-C stops.%n", console.url(), config.serviceName());
        return console;
    }

    /** The port {@code vigil dev} tries first, so the address stays the same from run to run. */
    static final int DEV_PORT = 9468;

    /**
     * The console of {@code vigil dev}, on loopback: the dev stack, the remediation consumer's audit key and checkpoints, the
     * dev access file and the console's key ({@link RemediateCommand#writeDevAccessFile}); port 9468, or a free one if taken or
     * {@code anyPort}.
     */
    static ConsoleApp startDev(String bootstrapServers, String registryUrl, String clickHouseUrl, Path workDir, boolean anyPort)
            throws IOException {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "clickhouse.url", clickHouseUrl,
                "audit.key.file", workDir.resolve("audit.key").toString(),
                "audit.checkpoints.file", workDir.resolve("audit-checkpoints").toString(),
                "service.name", RemediateCommand.DEV_CONSOLE,
                "service.key.file", RemediateCommand.devConsoleKey(workDir).toString(),
                "http.access.file", RemediateCommand.devAccessFile(workDir).toString(),
                "http.port", anyPort ? "0" : Integer.toString(DEV_PORT)));
        try {
            return ConsoleApp.start(ConsoleConfig.from(ConfigSource.of(settings)));
        } catch (BindException e) {
            settings.put("http.port", "0");
            return ConsoleApp.start(ConsoleConfig.from(ConfigSource.of(settings)));
        }
    }
}
