package dev.vigil.cli;

import java.io.PrintWriter;
import java.util.Map;

import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.sinks.SinkApp;
import dev.vigil.sinks.SinkConfig;
import picocli.CommandLine.Command;

/** {@code vigil sink}: writes Vigil's topics to ClickHouse, until Ctrl-C. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Writes scores, rollups, forecasts, alerts and the remediation audit to ClickHouse, exactly once;",
            "applies the schema migrations first. Health on /healthz, metrics on /metrics. The ClickHouse password comes",
            "from VIGIL_CLICKHOUSE_PASSWORD or clickhouse.password.file, never the command line. Settings: docs/sinks.md."})
final class SinkCommand extends ServiceCommand {

    @Override
    AutoCloseable start(ClientSettings settings, PrintWriter out) throws Exception {
        SinkConfig config = SinkConfig.from(settings.load());
        SinkApp app = SinkApp.start(config);
        out.printf("ClickHouse sink running: %s -> %s, database %s; HTTP on http://%s (/healthz, /metrics); Ctrl-C stops.%n",
                config.groupId(), config.clickHouseUrl(), config.database(), app.httpAddress());
        return app;
    }

    /** The settings {@code vigil dev} runs the sink with on its local stack. */
    static SinkConfig devConfig(String bootstrapServers, String registryUrl, String clickHouseUrl) {
        return SinkConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "clickhouse.url", clickHouseUrl,
                "http.port", "0")));
    }
}
