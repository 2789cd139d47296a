package dev.vigil.cli;

import java.io.PrintWriter;
import java.util.Map;

import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.streams.StreamsApp;
import dev.vigil.streams.StreamsAppConfig;
import dev.vigil.streams.StreamsKeys;
import picocli.CommandLine.Command;

/** {@code vigil streams}: the Kafka Streams application, until Ctrl-C. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Runs the streams application: scores every sample of vigil.metrics, rolls series up per minute and",
            "hour, forecasts and raises alerts (exactly once). Health on /healthz, metrics on /metrics, series and",
            "alert state on /v1/hosts/{host}. Settings and the alert contract: docs/alerts.md."})
final class StreamsCommand extends ServiceCommand {

    @Override
    AutoCloseable start(ClientSettings settings, PrintWriter out) throws Exception {
        StreamsAppConfig config = StreamsAppConfig.from(settings.load().withFallback(StreamsKeys.STATE_DIR, settings.workDir().resolve("streams-state")));
        StreamsApp app = StreamsApp.start(config);
        out.printf("Streams application %s running; state in %s; HTTP on http://%s (/healthz, /metrics, /v1/hosts/{host}); Ctrl-C stops.%n",
                config.applicationId(), config.stateDir(), app.httpAddress());
        return app;
    }

    /** The settings {@code vigil dev} runs the application with on its local stack. */
    static StreamsAppConfig devConfig(String bootstrapServers, String registryUrl, java.nio.file.Path workDir) {
        return StreamsAppConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "state.dir", workDir.resolve("streams-state").toString(),
                "http.port", "0")));
    }
}
