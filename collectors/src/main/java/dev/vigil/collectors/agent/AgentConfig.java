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
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.actions.CommandSpec;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.schemas.MetricContract;
import dev.vigil.schemas.Topics;

/**
 * The agent's validated settings. Read from a properties file plus {@code VIGIL_*} environment variables
 * ({@link ConfigSource}); every problem fails start-up with a message naming the key.
 *
 * @param hostId           stable host identifier, the Kafka key ({@code host.id}; default: the host name)
 * @param hostLabels       {@code host.labels.<name>=<value>} entries
 * @param interval         tick: one batch per interval ({@code interval}, default 10s)
 * @param sensorIntervals  per-sensor interval ({@code sensors.<name>.interval}, default: the tick);
 *                         a sensor with {@code sensors.<name>.enabled=false} is absent
 * @param topN             processes reported by CPU and by memory ({@code top.n}, default 5)
 * @param topic            where batches go ({@code topic}, default vigil.metrics)
 * @param kafka            producer settings: every {@code kafka.*} key without the prefix; bootstrap.servers required
 * @param registry         registry settings: every {@code schema.registry.*} and {@code basic.auth.*} key
 * @param spoolDir         on-disk spool ({@code spool.dir}, default ./vigil-spool)
 * @param spoolMaxBytes    spool bound; the oldest batches are dropped beyond it ({@code spool.max.bytes}, default 64MiB)
 * @param httpHost         address of the ingest, metrics and health endpoint ({@code http.host}, default 127.0.0.1)
 * @param httpPort         its port ({@code http.port}, default 9464; 0 for any)
 * @param ingestLimits     limits on pushed metrics ({@code ingest.*})
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
        IngestLimits ingestLimits,
        Map<String, CommandSpec> actions) {

    /** Every sensor the agent knows, in reading order. */
    public static final List<String> SENSORS = List.of("cpu", "memory", "filesystem", "disk", "network", "system", "tcp", "top");

    private static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,252}");
    private static final Pattern ACTION_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,63}");

    /**
     * Limits on what applications may push to the ingest endpoint.
     *
     * @param maxSamplesPerRequest samples in one request ({@code ingest.max.samples.per.request}, default 1000)
     * @param maxLabels            labels per sample ({@code ingest.max.labels}, default 16)
     * @param maxBufferedSamples   pushed samples waiting for the next tick ({@code ingest.max.buffered.samples}, default 10000)
     * @param maxRequestBytes      request body size ({@code ingest.max.request.bytes}, default 1MiB)
     */
    public record IngestLimits(int maxSamplesPerRequest, int maxLabels, int maxBufferedSamples, int maxRequestBytes) {
        public static final IngestLimits DEFAULT = new IngestLimits(1000, 16, 10_000, 1 << 20);
    }

    public AgentConfig {
        Objects.requireNonNull(hostId, "hostId can't be null");
        hostLabels = Map.copyOf(hostLabels);
        sensorIntervals = Map.copyOf(sensorIntervals);
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        actions = Map.copyOf(actions);
    }

    /** Reads and validates the settings. */
    public static AgentConfig from(ConfigSource config) {
        String hostId = config.optional("host.id").orElseGet(AgentConfig::defaultHostId);
        if (!HOST_ID.matcher(hostId).matches()) {
            throw new ConfigException("host.id", hostId, "must be 1-253 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        Map<String, String> labels = config.withPrefix("host.labels.");
        labels.keySet().forEach(name -> {
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new ConfigException("host.labels." + name, labels.get(name), "label names are letters, digits, '_' and '.'");
            }
        });
        Duration interval = config.duration("interval", Duration.ofSeconds(10));
        Map<String, Duration> sensors = new HashMap<>();
        for (String sensor : SENSORS) {
            if (config.bool("sensors." + sensor + ".enabled", true)) {
                Duration own = config.duration("sensors." + sensor + ".interval", interval);
                if (own.compareTo(interval) < 0) {
                    throw new ConfigException("sensors." + sensor + ".interval", own.toString(),
                            "must not be shorter than interval (" + interval + "): the agent publishes once per interval");
                }
                sensors.put(sensor, own);
            }
        }
        config.withPrefix("sensors.").keySet().stream().map(key -> key.substring(0, key.indexOf('.') < 0 ? key.length() : key.indexOf('.')))
                .filter(name -> !SENSORS.contains(name)).findFirst().ifPresent(unknown -> {
                    throw new ConfigException("sensors." + unknown, null, "unknown sensor; known: " + SENSORS);
                });
        Map<String, Object> kafka = config.kafkaClient();
        Map<String, Object> registry = config.schemaRegistry();
        IngestLimits defaults = IngestLimits.DEFAULT;
        IngestLimits limits = new IngestLimits(
                config.integer("ingest.max.samples.per.request", defaults.maxSamplesPerRequest(), 1, 100_000),
                config.integer("ingest.max.labels", defaults.maxLabels(), 0, MetricContract.MAX_LABELS),
                config.integer("ingest.max.buffered.samples", defaults.maxBufferedSamples(), 1, 10_000_000),
                (int) Math.min(Integer.MAX_VALUE, config.bytes("ingest.max.request.bytes", defaults.maxRequestBytes())));
        return new AgentConfig(hostId, labels, interval, sensors,
                config.integer("top.n", 5, 0, 100),
                config.string("topic", Topics.METRICS.name()),
                kafka, registry,
                Path.of(config.string("spool.dir", "vigil-spool")),
                config.bytes("spool.max.bytes", 64L << 20),
                config.string("http.host", "127.0.0.1"),
                config.integer("http.port", 9464, 0, 65_535),
                limits, actions(config));
    }

    /**
     * The host's own allow-list for remediation ({@code actions.NAME.executable}, an absolute path;
     * {@code actions.NAME.args}, argument templates separated by spaces, e.g. {@code restart {{unit}}};
     * {@code actions.NAME.timeout}, 30s). Empty: the agent takes no commands at all.
     */
    private static Map<String, CommandSpec> actions(ConfigSource config) {
        Map<String, CommandSpec> actions = new java.util.TreeMap<>();
        for (String key : config.withPrefix("actions.").keySet()) {
            String name = key.substring(0, key.indexOf('.') < 0 ? key.length() : key.indexOf('.'));
            if (actions.containsKey(name)) {
                continue;
            }
            if (!ACTION_NAME.matcher(name).matches()) {
                throw new ConfigException("actions." + name, null, "an action name is lower-case letters, digits, _ . -");
            }
            Path executable = Path.of(config.required("actions." + name + ".executable"));
            if (!executable.isAbsolute() || !Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
                throw new ConfigException("actions." + name + ".executable", executable.toString(), "must be an absolute path to an executable file");
            }
            String args = config.string("actions." + name + ".args", "").strip();
            actions.put(name, new CommandSpec(name, executable, args.isEmpty() ? List.of() : List.of(args.split("\\s+")),
                    config.duration("actions." + name + ".timeout", Duration.ofSeconds(30))));
        }
        return actions;
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
