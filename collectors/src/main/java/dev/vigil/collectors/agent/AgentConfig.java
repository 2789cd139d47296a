package dev.vigil.collectors.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.actions.ActionLimits;
import dev.vigil.actions.ActionSettingException;
import dev.vigil.actions.ActionSettings;
import dev.vigil.actions.CommandSpec;
import dev.vigil.actions.Confinement;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.http.HttpSecurity;

/**
 * The agent's validated settings, read from a properties file plus {@code VIGIL_*} environment variables through
 * {@link AgentKeys}, where every key is defined with its default, checks and doc; every problem fails start-up with
 * a message naming the key.
 *
 * @param hostId           stable host identifier, the Kafka key
 * @param hostLabels       labels on every batch, from {@code host.labels.<name>}
 * @param interval         tick: one batch per interval
 * @param sensorIntervals  per-sensor interval, the tick unless slower; a sensor switched off is absent
 * @param topN             processes reported by CPU and by memory
 * @param topic            where batches go
 * @param kafka            producer settings: every {@code kafka.*} key without the prefix
 * @param registry         schema registry client settings
 * @param spoolDir         on-disk spool
 * @param spoolMaxBytes    spool bound; the oldest batches are dropped beyond it
 * @param httpHost         address of the ingest, metrics and health endpoint
 * @param httpPort         its port (0 for any)
 * @param httpSecurity     who may call it, and TLS
 * @param ingestLimits     limits on pushed metrics
 * @param actions          the host's allow-list of remediation commands, by name
 */
public record AgentConfig(
        String hostId,
        Map<String, String> hostLabels,
        Duration interval,
        Map<String, Duration> sensorIntervals,
        int topN,
        String topic,
        Map<String, Object> kafka,
        Map<String, Object> registry,
        Path spoolDir,
        long spoolMaxBytes,
        String httpHost,
        int httpPort,
        HttpSecurity httpSecurity,
        IngestLimits ingestLimits,
        Map<String, CommandSpec> actions) {

    /** Every sensor the agent knows, in reading order. */
    public static final List<String> SENSORS = List.of("cpu", "memory", "filesystem", "disk", "network", "system", "tcp", "top");

    private static final Pattern ACTION_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,63}");

    /**
     * Limits on what applications may push to the ingest endpoint ({@code ingest.*}).
     *
     * @param maxSamplesPerRequest samples in one request
     * @param maxLabels            labels per sample
     * @param maxBufferedSamples   pushed samples waiting for the next tick
     * @param maxRequestBytes      request body size
     */
    public record IngestLimits(int maxSamplesPerRequest, int maxLabels, int maxBufferedSamples, int maxRequestBytes) {
    }

    public AgentConfig {
        Objects.requireNonNull(hostId, "hostId can't be null");
        hostLabels = Map.copyOf(hostLabels);
        sensorIntervals = Map.copyOf(sensorIntervals);
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        actions = Map.copyOf(actions);
    }

    /** Reads and validates the settings ({@link AgentKeys}). */
    public static AgentConfig from(ConfigSource source) {
        ConfigValues config = AgentKeys.DEFINITION.read(source);
        Map<String, String> labels = new TreeMap<>();
        config.passedOn(AgentKeys.HOST_LABELS).forEach((key, value) -> {
            String name = key.substring(AgentKeys.HOST_LABELS.length());
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new ConfigException(key, value, "label names are letters, digits, '_' and '.'");
            }
            labels.put(name, value);
        });
        Duration interval = config.get(AgentKeys.INTERVAL);
        Set<String> named = new TreeSet<>(config.namesSet(AgentKeys.SENSOR_ENABLED));
        named.addAll(config.namesSet(AgentKeys.SENSOR_INTERVAL));
        named.stream().filter(name -> !SENSORS.contains(name)).findFirst().ifPresent(unknown -> {
            throw new ConfigException("sensors." + unknown, null, "unknown sensor; known: " + SENSORS);
        });
        Map<String, Duration> sensors = new HashMap<>();
        for (String sensor : SENSORS) {
            if (config.get(AgentKeys.SENSOR_ENABLED.forName(sensor))) {
                ConfigKey<Duration> key = AgentKeys.SENSOR_INTERVAL.forName(sensor);
                Duration own = config.optional(key).orElse(interval);
                if (own.compareTo(interval) < 0) {
                    throw config.invalid(key, "must not be shorter than interval (" + interval + "): the agent publishes once per interval");
                }
                sensors.put(sensor, own);
            }
        }
        IngestLimits limits = new IngestLimits(
                config.get(AgentKeys.INGEST_MAX_SAMPLES_PER_REQUEST),
                config.get(AgentKeys.INGEST_MAX_LABELS),
                config.get(AgentKeys.INGEST_MAX_BUFFERED_SAMPLES),
                config.get(AgentKeys.INGEST_MAX_REQUEST_BYTES).intValue());
        return new AgentConfig(config.get(AgentKeys.HOST_ID), labels, interval, sensors,
                config.get(AgentKeys.TOP_N),
                config.get(AgentKeys.TOPIC),
                CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config),
                config.get(AgentKeys.SPOOL_DIR),
                config.get(AgentKeys.SPOOL_MAX_BYTES),
                config.get(AgentKeys.HTTP_HOST),
                config.get(AgentKeys.HTTP_PORT),
                HttpSecurity.from(config),
                limits, actions(config));
    }

    /**
     * The host's own allow-list for remediation ({@code actions.NAME.executable}, {@code actions.NAME.args},
     * {@code actions.NAME.timeout}, {@code actions.NAME.limits.*}). Empty: the agent takes no commands at all.
     */
    private static Map<String, CommandSpec> actions(ConfigValues config) {
        Map<String, CommandSpec> actions = new TreeMap<>();
        Set<String> names = new TreeSet<>(config.namesSet(AgentKeys.ACTION_EXECUTABLE));
        names.addAll(config.namesSet(AgentKeys.ACTION_ARGS));
        names.addAll(config.namesSet(AgentKeys.ACTION_TIMEOUT));
        AgentKeys.ACTION_LIMITS.forEach(limit -> names.addAll(config.namesSet(limit)));
        for (String name : names) {
            if (!ACTION_NAME.matcher(name).matches()) {
                throw new ConfigException("actions." + name, null, "an action name is lower-case letters, digits, _ . -");
            }
            String args = config.get(AgentKeys.ACTION_ARGS.forName(name)).strip();
            actions.put(name, new CommandSpec(name, config.get(AgentKeys.ACTION_EXECUTABLE.forName(name)),
                    args.isEmpty() ? List.of() : List.of(args.split("\\s+")), config.get(AgentKeys.ACTION_TIMEOUT.forName(name)),
                    limits(config, name)));
        }
        return actions;
    }

    /** The limits of action {@code name} ({@code actions.NAME.limits.*}), checked as a policy's are. */
    private static ActionLimits limits(ConfigValues config, String name) {
        Map<String, String> given = new TreeMap<>();
        AgentKeys.ACTION_LIMITS.forEach(limit -> config.optional(limit.forName(name)).ifPresent(value ->
                given.put(limit.forName(name).name().substring(("actions." + name + ".limits.").length()), value)));
        ActionLimits limits;
        try {
            limits = ActionLimits.from(new ActionSettings("the limits of action '" + name + "'", given));
        } catch (ActionSettingException e) {
            String key = "actions." + name + ".limits" + (e.key() == null ? "" : "." + e.key());
            throw new ConfigException(key, e.key() == null ? null : given.get(e.key()), e.getMessage());
        }
        if (limits.systemdScope() && !Confinement.systemdIsServiceManager()) {
            throw new ConfigException("actions." + name + ".limits.systemd_scope", "true", "systemd is not the service manager here "
                    + "(/run/systemd/system is absent), so there is no scope");
        }
        return limits;
    }

    /** The host name, or the machine id where the name says nothing ("localhost"). */
    static String defaultHostId() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (!name.isBlank() && !name.startsWith("localhost")) {
                return name;
            }
        } catch (UnknownHostException e) {
            // fall through to the machine id
        }
        try {
            return Files.readString(Path.of("/etc/machine-id")).strip();
        } catch (IOException e) {
            throw new ConfigException("host.id", null, "cannot be derived (no host name, no /etc/machine-id); set it");
        }
    }
}
