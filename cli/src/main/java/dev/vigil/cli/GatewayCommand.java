package dev.vigil.cli;

import java.io.PrintWriter;
import java.util.Map;

import dev.vigil.gateway.GatewayApp;
import dev.vigil.gateway.GatewayConfig;
import dev.vigil.runtime.config.ConfigSource;
import picocli.CommandLine.Command;

/** {@code vigil gateway}: takes what fleets already run (OTLP, the Collector's Kafka topic, Prometheus) into vigil.metrics. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Ingests OTLP metrics (HTTP and gRPC, the OpenTelemetry Collector's Kafka topic) and Prometheus data into",
            "vigil.metrics as MetricBatches keyed by host; every request is acknowledged only once Kafka has it. Health on",
            "/healthz, metrics on /metrics. Settings and mapping: docs/ingest.md."})
final class GatewayCommand extends ServiceCommand {

    @Override
    AutoCloseable start(ClientSettings settings, PrintWriter out) throws Exception {
        GatewayApp app = GatewayApp.start(GatewayConfig.from(settings.load()));
        out.printf("Gateway running: %s; Ctrl-C stops.%n", addresses(app));
        return app;
    }

    /** The gateway's addresses on one line: {@code HTTP http://127.0.0.1:4318, OTLP/gRPC http://127.0.0.1:4317}. */
    static String addresses(GatewayApp app) {
        StringBuilder line = new StringBuilder();
        app.addresses().forEach((label, address) -> line.append(line.isEmpty() ? "" : ", ").append(label).append(' ').append(address));
        return line.toString();
    }

    /** The settings {@code vigil dev} runs the gateway with on its local stack: loopback, any free ports. */
    static GatewayConfig devConfig(String bootstrapServers, String registryUrl) {
        return GatewayConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "http.port", "0",
                "otlp.grpc.port", "0")));
    }
}
