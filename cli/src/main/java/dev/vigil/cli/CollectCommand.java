package dev.vigil.cli;

import java.io.PrintWriter;

import dev.vigil.collectors.agent.AgentConfig;
import dev.vigil.collectors.agent.AgentKeys;
import dev.vigil.collectors.agent.CollectorAgent;
import dev.vigil.runtime.config.ConfigSource;
import picocli.CommandLine.Command;

/** {@code vigil collect}: the host agent, until Ctrl-C. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Runs the host agent: reads this machine every interval and publishes MetricBatch records to Kafka,",
            "spooling to disk while Kafka is away. Applications push their own metrics to POST /v1/metrics;",
            "self-metrics on /metrics, health on /healthz. Settings: docs/collectors.md."})
final class CollectCommand extends ServiceCommand {

    @Override
    AutoCloseable start(ClientSettings settings, PrintWriter out) throws Exception {
        ConfigSource source = settings.load().withFallback(AgentKeys.SPOOL_DIR, settings.workDir().resolve("collector-spool"));
        AgentConfig agentConfig = AgentConfig.from(source);
        CollectorAgent agent = CollectorAgent.start(agentConfig);
        out.printf("Collecting as %s every %s into %s; push metrics to http://%s:%d/v1/metrics; Ctrl-C stops.%n",
                agentConfig.hostId(), agentConfig.interval(), agentConfig.topic(), agentConfig.httpHost(), agent.httpPort());
        return agent;
    }
}
