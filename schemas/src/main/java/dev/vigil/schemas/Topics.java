package dev.vigil.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.vigil.avro.Alert;
import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.HostCommand;
import dev.vigil.avro.HostCommandResult;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.RemediationDecision;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.avro.Silence;
import dev.vigil.schemas.serde.AvroSerdes;

/**
 * The topic registry: every topic Vigil reads or writes, in one immutable place.
 *
 * <p>The {@link TopicSpec} constants describe the topics without serdes, for admin tools and docs. An
 * instance, made from an {@link AvroSerdes}, adds the serdes and hands out typed {@link Topic}s.
 * Every record is keyed by host id where it concerns a host, so a host's series stay on one partition
 * from collection to alerting and per-series state needs no repartitioning.
 */
public final class Topics {

    private static final String HOST_KEY = "host id (string)";
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    public static final TopicSpec METRICS = new TopicSpec("vigil.metrics", HOST_KEY, MetricBatch.class, 6,
            retention(Duration.ofDays(3)), "collectors, simulator, gateway", "streams-app");
    public static final TopicSpec SCORES = new TopicSpec("vigil.scores", HOST_KEY, ScoreBatch.class, 6,
            retention(Duration.ofDays(1)), "streams-app", "sinks, remediation-consumer (verifications)");
    public static final TopicSpec ROLLUPS = new TopicSpec("vigil.rollups", HOST_KEY, Rollup.class, 6,
            retention(Duration.ofDays(7)), "streams-app", "sinks");
    public static final TopicSpec FORECASTS = new TopicSpec("vigil.forecasts", HOST_KEY, Forecast.class, 6,
            retention(Duration.ofDays(1)), "streams-app", "sinks");
    public static final TopicSpec ALERTS = new TopicSpec("vigil.alerts", HOST_KEY, Alert.class, 6,
            retention(Duration.ofDays(30)), "streams-app", "sinks, remediation-consumer, your own consumers");
    public static final TopicSpec REMEDIATION_DECISIONS = new TopicSpec("vigil.remediation.decisions", HOST_KEY,
            RemediationDecision.class, 6, retention(Duration.ofDays(30)), "remediation-consumer", "sinks, your own consumers");
    public static final TopicSpec REMEDIATION_APPROVALS = new TopicSpec("vigil.remediation.approvals",
            "decision id (string)", ApprovalDecision.class, 1, retention(Duration.ofDays(30)),
            "vigil approve / vigil deny", "remediation-consumer");
    // One partition keeps the hash chain in order; infinite retention because deleting audit is tampering.
    public static final TopicSpec REMEDIATION_AUDIT = new TopicSpec("vigil.remediation.audit", "audit chain id (string)",
            AuditRecord.class, 1, Map.of("retention.ms", "-1", "cleanup.policy", "delete"),
            "remediation-consumer", "sinks, vigil audit verify");
    public static final TopicSpec HOST_COMMANDS = new TopicSpec("vigil.host.commands", HOST_KEY, HostCommand.class, 6,
            retention(Duration.ofDays(1)), "remediation-consumer (host-agent executor)", "collector agents");
    public static final TopicSpec HOST_COMMAND_RESULTS = new TopicSpec("vigil.host.command.results", HOST_KEY, HostCommandResult.class, 6,
            retention(Duration.ofDays(7)), "collector agents", "remediation-consumer");
    // Compacted: the newest version of each silence (or host) is the state; the whole topic is read at every start.
    public static final TopicSpec SILENCES = new TopicSpec("vigil.silences", "silence id (string)", Silence.class, 1, COMPACTED,
            "vigil silence, the streams application's HTTP API, remediation-consumer (the policy's silences)",
            "streams-app, remediation-consumer (audits every change)");
    public static final TopicSpec RETIRED_HOSTS = new TopicSpec("vigil.hosts.retired", HOST_KEY, HostRetirement.class, 1, COMPACTED,
            "vigil host retire / reinstate", "streams-app, remediation-consumer (audits every change)");
    public static final TopicSpec DEAD_LETTERS = new TopicSpec("vigil.dead-letters", "source topic (string)",
            DeadLetter.class, 3, retention(Duration.ofDays(14)), "streams-app, sinks, remediation-consumer, gateway", "operators");

    public static final TopicSpec SIMULATOR_TRUTH = new TopicSpec("vigil.simulator.truth", HOST_KEY, InjectedAnomaly.class, 1,
            retention(Duration.ofDays(30)), "vigil simulate", "vigil eval, tests");

    /** Every topic, in data-flow order. */
    public static final List<TopicSpec> ALL = List.of(METRICS, SCORES, ROLLUPS, FORECASTS, ALERTS,
            REMEDIATION_DECISIONS, REMEDIATION_APPROVALS, REMEDIATION_AUDIT, HOST_COMMANDS, HOST_COMMAND_RESULTS, SILENCES, RETIRED_HOSTS,
            DEAD_LETTERS, SIMULATOR_TRUTH);

    private final Topic<String, MetricBatch> metrics;
    private final Topic<String, ScoreBatch> scores;
    private final Topic<String, Rollup> rollups;
    private final Topic<String, Forecast> forecasts;
    private final Topic<String, Alert> alerts;
    private final Topic<String, RemediationDecision> remediationDecisions;
    private final Topic<String, ApprovalDecision> remediationApprovals;
    private final Topic<String, AuditRecord> remediationAudit;
    private final Topic<String, HostCommand> hostCommands;
    private final Topic<String, HostCommandResult> hostCommandResults;
    private final Topic<String, Silence> silences;
    private final Topic<String, HostRetirement> retiredHosts;
    private final Topic<String, DeadLetter> deadLetters;
    private final Topic<String, InjectedAnomaly> simulatorTruth;

    /** Typed topics whose Avro serdes come from {@code serdes}. */
    public Topics(AvroSerdes serdes) {
        Objects.requireNonNull(serdes, "serdes can't be null");
        Serde<String> key = Serdes.String();
        this.metrics = new Topic<>(METRICS, key, serdes.valueSerde(MetricBatch.class));
        this.scores = new Topic<>(SCORES, key, serdes.valueSerde(ScoreBatch.class));
        this.rollups = new Topic<>(ROLLUPS, key, serdes.valueSerde(Rollup.class));
        this.forecasts = new Topic<>(FORECASTS, key, serdes.valueSerde(Forecast.class));
        this.alerts = new Topic<>(ALERTS, key, serdes.valueSerde(Alert.class));
        this.remediationDecisions = new Topic<>(REMEDIATION_DECISIONS, key, serdes.valueSerde(RemediationDecision.class));
        this.remediationApprovals = new Topic<>(REMEDIATION_APPROVALS, key, serdes.valueSerde(ApprovalDecision.class));
        this.remediationAudit = new Topic<>(REMEDIATION_AUDIT, key, serdes.valueSerde(AuditRecord.class));
        this.hostCommands = new Topic<>(HOST_COMMANDS, key, serdes.valueSerde(HostCommand.class));
        this.hostCommandResults = new Topic<>(HOST_COMMAND_RESULTS, key, serdes.valueSerde(HostCommandResult.class));
        this.silences = new Topic<>(SILENCES, key, serdes.valueSerde(Silence.class));
        this.retiredHosts = new Topic<>(RETIRED_HOSTS, key, serdes.valueSerde(HostRetirement.class));
        this.deadLetters = new Topic<>(DEAD_LETTERS, key, serdes.valueSerde(DeadLetter.class));
        this.simulatorTruth = new Topic<>(SIMULATOR_TRUTH, key, serdes.valueSerde(InjectedAnomaly.class));
    }

    public Topic<String, MetricBatch> metrics() {
        return metrics;
    }

    public Topic<String, ScoreBatch> scores() {
        return scores;
    }

    public Topic<String, Rollup> rollups() {
        return rollups;
    }

    public Topic<String, Forecast> forecasts() {
        return forecasts;
    }

    public Topic<String, Alert> alerts() {
        return alerts;
    }

    public Topic<String, RemediationDecision> remediationDecisions() {
        return remediationDecisions;
    }

    public Topic<String, ApprovalDecision> remediationApprovals() {
        return remediationApprovals;
    }

    public Topic<String, AuditRecord> remediationAudit() {
        return remediationAudit;
    }

    public Topic<String, HostCommand> hostCommands() {
        return hostCommands;
    }

    public Topic<String, HostCommandResult> hostCommandResults() {
        return hostCommandResults;
    }

    public Topic<String, Silence> silences() {
        return silences;
    }

    public Topic<String, HostRetirement> retiredHosts() {
        return retiredHosts;
    }

    public Topic<String, DeadLetter> deadLetters() {
        return deadLetters;
    }

    public Topic<String, InjectedAnomaly> simulatorTruth() {
        return simulatorTruth;
    }

    private static Map<String, String> retention(Duration retention) {
        return Map.of("retention.ms", Long.toString(retention.toMillis()), "cleanup.policy", "delete");
    }
}
