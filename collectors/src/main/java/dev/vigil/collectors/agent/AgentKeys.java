package dev.vigil.collectors.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.vigil.actions.ActionLimits;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigEntry;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.schemas.MetricContract;
import dev.vigil.schemas.Topics;

/** Every setting of the collector agent, defined once: {@link AgentConfig} reads them, docs/collectors.md lists them. */
public final class AgentKeys {

    public static final ConfigKey<String> HOST_ID = ConfigKey.string("host.id")
            .withDefault(AgentConfig::defaultHostId, "host name (machine id if the name is `localhost`)")
            .validatedBy(MetricContract::isHostId, "must be " + MetricContract.HOST_ID_RULE)
            .doc("the Kafka key; 1-253 of `[A-Za-z0-9._:-]`");
    /** Passed on as a prefix: the label names are the user's. */
    public static final String HOST_LABELS = "host.labels.";
    public static final ConfigKey<Duration> INTERVAL = ConfigKey.duration("interval").withDefault(Duration.ofSeconds(10))
            .doc("one batch per interval");
    public static final ConfigKey<Duration> SENSOR_INTERVAL = ConfigKey.duration("sensors.<name>.interval").shownAs("`interval`")
            .doc("a slower interval for one sensor (not faster than `interval`); sensors: " + String.join(", ", AgentConfig.SENSORS));
    public static final ConfigKey<Boolean> SENSOR_ENABLED = ConfigKey.bool("sensors.<name>.enabled").withDefault(true)
            .doc("switch a sensor off");
    public static final ConfigKey<Integer> TOP_N = ConfigKey.integer("top.n", 0, 100).withDefault(5)
            .doc("processes reported by CPU and by memory");
    public static final ConfigKey<String> TOPIC = ConfigKey.string("topic").withDefault(Topics.METRICS.name()).doc("destination");
    public static final ConfigKey<Path> SPOOL_DIR = ConfigKey.path("spool.dir").withDefault(Path.of("vigil-spool"))
            .shownAs("`vigil-spool` (under the work folder for `vigil collect`)").doc("the spool");
    public static final ConfigKey<Long> SPOOL_MAX_BYTES = ConfigKey.bytes("spool.max.bytes").withDefault(64L << 20)
            .doc("spool bound (about 2 days of 10 s batches); the oldest batches are dropped beyond it");
    public static final ConfigKey<String> HTTP_HOST = CommonKeys.httpHost("the ingest endpoint, `/metrics` and `/healthz`");
    public static final ConfigKey<Integer> HTTP_PORT = CommonKeys.httpPort(9464);
    public static final ConfigKey<Integer> INGEST_MAX_SAMPLES_PER_REQUEST = ConfigKey.integer("ingest.max.samples.per.request", 1, 100_000)
            .withDefault(1000).doc("samples in one pushed request");
    public static final ConfigKey<Integer> INGEST_MAX_LABELS = ConfigKey.integer("ingest.max.labels", 0, MetricContract.MAX_LABELS).withDefault(16)
            .doc("labels per pushed sample");
    public static final ConfigKey<Integer> INGEST_MAX_BUFFERED_SAMPLES = ConfigKey.integer("ingest.max.buffered.samples", 1, 10_000_000)
            .withDefault(10_000).doc("pushed samples waiting for the next tick");
    public static final ConfigKey<Long> INGEST_MAX_REQUEST_BYTES = ConfigKey.bytes("ingest.max.request.bytes")
            .validatedBy(size -> size <= Integer.MAX_VALUE, "must be below 2GiB").withDefault(1L << 20)
            .doc("size of a pushed request's body: the push route's own `http.max.body.size`, answered 413 beyond it");
    public static final ConfigKey<Path> ACTION_EXECUTABLE = ConfigKey.path("actions.<name>.executable")
            .validatedBy(path -> path.isAbsolute() && Files.isRegularFile(path) && Files.isExecutable(path),
                    "must be an absolute path to an executable file").required().shownAs("(required per action)")
            .doc("a command the agent may run for remediation ([remediation.md](remediation.md#the-host-agent-executor)); "
                    + "without `actions.*` it takes none. Names: lower-case letters, digits, `_`, `-`");
    public static final ConfigKey<String> ACTION_ARGS = ConfigKey.string("actions.<name>.args").withDefault("")
            .shownAs("none").doc("its argument templates, separated by spaces, e.g. `restart {{unit}}`");
    public static final ConfigKey<Duration> ACTION_TIMEOUT = ConfigKey.duration("actions.<name>.timeout").withDefault(Duration.ofSeconds(30))
            .doc("how long it may run");
    /** An action's limits, named as a policy's {@code limits} name them; {@link ActionLimits#from} checks their values. */
    public static final List<ConfigKey<String>> ACTION_LIMITS = ActionLimits.KEYS.stream().sorted()
            .map(limit -> ConfigKey.string("actions.<name>.limits." + limit).doc("the `" + limit + "` limit of an action")).toList();

    public static final ConfigDefinition DEFINITION = ConfigDefinition.of("the collector agent")
            .with(CommonKeys.kafka("the producer: `kafka.security.protocol`, `kafka.compression.type` ..."), CommonKeys.SCHEMA_REGISTRY,
                    HOST_ID)
            .passingOn(HOST_LABELS, "host labels on every batch (datacenter, role, environment ...): `host.labels.<name>`")
            .with(INTERVAL, SENSOR_INTERVAL, SENSOR_ENABLED, TOP_N, TOPIC, SPOOL_DIR, SPOOL_MAX_BYTES, HTTP_HOST, HTTP_PORT, CommonKeys.HTTP_SECURITY,
                    INGEST_MAX_SAMPLES_PER_REQUEST, INGEST_MAX_LABELS, INGEST_MAX_BUFFERED_SAMPLES, INGEST_MAX_REQUEST_BYTES,
                    ACTION_EXECUTABLE, ACTION_ARGS, ACTION_TIMEOUT)
            .withGroup(ConfigDefinition.of("an action's limits").with(ACTION_LIMITS.toArray(new ConfigEntry[0])), "actions.<name>.limits.*",
                    "what it may use and do, named as in a policy's `limits`: " + String.join(", ", ActionLimits.KEYS.stream().sorted().toList())
                            + "; defaults and meaning in [remediation.md](remediation.md#limits)");

    private AgentKeys() {
    }
}
