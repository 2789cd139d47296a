package dev.vigil.streams;

import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.utils.Bytes;

import dev.vigil.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The streams application's topology: {@code vigil.metrics} in; scores, rollups, forecasts, alerts and
 * dead letters out. One processor does the work per host batch (see {@link HostBatchProcessor}); the input
 * is keyed by host id, so every series of a host is on the host's partition and no repartition topic is
 * needed. It hands each decoded batch to {@link HostSilenceWatcher}, which raises HOST_SILENT for hosts that stop
 * reporting, and both send their alerts through {@link SilencedAlertMarker}, which marks those a silence covers. The
 * silences ({@code vigil.silences}) and retired hosts ({@code vigil.hosts.retired}) are global stores: every instance
 * reads the whole of both small compacted topics. Every node and store has a fixed name: renaming one changes state
 * store and changelog names and loses state on upgrade, which {@code TopologyDescriptionTest} guards against.
 */
public final class ScoringTopology {

    public static final String SOURCE = "metrics-source";
    public static final String PROCESSOR = "score-host-batches";
    /** Host id -> the host's series, detectors, windows and alerts ({@link dev.vigil.streams.state.HostStateCodec}). */
    public static final String HOST_STATE_STORE = "host-state";
    /** (host id, slot of the day) -> the daily-profile page of the host's series ({@link dev.vigil.streams.state.DailyProfilePages}). */
    public static final String DAILY_PROFILE_STORE = "detector-daily-profile";
    /** (window end, host id) -> nothing: which hosts have rollup windows due to close, oldest first. */
    public static final String CLOSE_INDEX_STORE = "rollup-close-index";
    /** Host id -> when the host last reported, its labels and its HOST_SILENT alert ({@link dev.vigil.streams.state.HostReport}). */
    public static final String HOST_REPORTS_STORE = "host-last-report";
    /** (time to look at the host again, host id) -> nothing: the hosts the silence watcher must look at, soonest first. */
    public static final String HOST_SILENCE_INDEX_STORE = "host-silence-index";
    /** Silence id -> the silence's newest record on {@code vigil.silences}, as bytes (a global store). */
    public static final String SILENCES_STORE = "silences";
    /** Host id -> the host's newest record on {@code vigil.hosts.retired}, as bytes (a global store). */
    public static final String RETIRED_HOSTS_STORE = "retired-hosts";
    static final String HOST_SILENCE_WATCHER = "watch-host-silence";
    static final String MARK_SILENCED = "mark-silenced-alerts";
    static final String SILENCES_SOURCE = "silences-source";
    static final String SILENCES_UPDATE = "silences-update";
    static final String RETIRED_HOSTS_SOURCE = "retired-hosts-source";
    static final String RETIRED_HOSTS_UPDATE = "retired-hosts-update";
    static final String SCORES_SINK = "scores-sink";
    static final String ROLLUPS_SINK = "rollups-sink";
    static final String FORECASTS_SINK = "forecasts-sink";
    static final String ALERTS_SINK = "alerts-sink";
    static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private ScoringTopology() {
    }

    /**
     * @param settings what to detect and alert on
     * @param topics   the topic registry, with its serdes
     * @param registry where the topology's counters go
     */
    public static Topology build(TopologySettings settings, Topics topics, MeterRegistry registry) {
        return build(settings, topics, registry, true);
    }

    /**
     * @param persistent RocksDB stores (true), or in-memory ones for TopologyTestDriver, which commits (and so
     *                   flushes and fsyncs RocksDB) after every record
     */
    static Topology build(TopologySettings settings, Topics topics, MeterRegistry registry, boolean persistent) {
        Objects.requireNonNull(settings, "settings can't be null");
        Objects.requireNonNull(topics, "topics can't be null");
        ScoringMetrics metrics = new ScoringMetrics(Objects.requireNonNull(registry, "registry can't be null"));

        StoreBuilder<KeyValueStore<String, byte[]>> hostState = store(HOST_STATE_STORE, Serdes.String(), persistent);
        StoreBuilder<KeyValueStore<Bytes, byte[]>> closeIndex = store(CLOSE_INDEX_STORE, Serdes.Bytes(), persistent);
        StoreBuilder<KeyValueStore<Bytes, byte[]>> dailyProfile = store(DAILY_PROFILE_STORE, Serdes.Bytes(), persistent);
        StoreBuilder<KeyValueStore<String, byte[]>> hostReports = store(HOST_REPORTS_STORE, Serdes.String(), persistent);
        StoreBuilder<KeyValueStore<Bytes, byte[]>> silenceIndex = store(HOST_SILENCE_INDEX_STORE, Serdes.Bytes(), persistent);

        Topology topology = new Topology();
        // Values are read as bytes and decoded in the processor, so undecodable ones become dead letters.
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.metrics().name());
        topology.addProcessor(PROCESSOR,
                () -> new HostBatchProcessor(settings, topics.metrics().valueSerde().deserializer(), metrics), SOURCE);
        // Caching off: every batch rewrites its host anyway, and the cache would only delay the changelog.
        topology.addStateStore(hostState.withCachingDisabled(), PROCESSOR);
        topology.addStateStore(dailyProfile.withCachingDisabled(), PROCESSOR);
        topology.addStateStore(closeIndex.withCachingDisabled(), PROCESSOR);
        topology.addProcessor(HOST_SILENCE_WATCHER,
                () -> new HostSilenceWatcher(settings, topics.retiredHosts().valueSerde().deserializer(), metrics), PROCESSOR);
        // Caching off: a host is written only when something about it changed.
        topology.addStateStore(hostReports.withCachingDisabled(), HOST_SILENCE_WATCHER);
        topology.addStateStore(silenceIndex.withCachingDisabled(), HOST_SILENCE_WATCHER);
        topology.addProcessor(MARK_SILENCED, () -> new SilencedAlertMarker(topics.silences().valueSerde().deserializer(), metrics),
                PROCESSOR, HOST_SILENCE_WATCHER);
        topology.addSink(SCORES_SINK, topics.scores().name(), Serdes.String().serializer(),
                topics.scores().valueSerde().serializer(), PROCESSOR);
        topology.addSink(ROLLUPS_SINK, topics.rollups().name(), Serdes.String().serializer(),
                topics.rollups().valueSerde().serializer(), PROCESSOR);
        topology.addSink(FORECASTS_SINK, topics.forecasts().name(), Serdes.String().serializer(),
                topics.forecasts().valueSerde().serializer(), PROCESSOR);
        topology.addSink(ALERTS_SINK, topics.alerts().name(), Serdes.String().serializer(),
                topics.alerts().valueSerde().serializer(), MARK_SILENCED);
        topology.addSink(DEAD_LETTERS_SINK, topics.deadLetters().name(), Serdes.String().serializer(),
                topics.deadLetters().valueSerde().serializer(), PROCESSOR);
        // Global stores are restored from their topic at every start (it is their changelog): in memory, as both are small.
        // Added last, so that the scoring sub-topology keeps its number (0), and with it its task ids and state directories.
        addGlobalStore(topology, SILENCES_STORE, SILENCES_SOURCE, topics.silences().name(), SILENCES_UPDATE);
        addGlobalStore(topology, RETIRED_HOSTS_STORE, RETIRED_HOSTS_SOURCE, topics.retiredHosts().name(), RETIRED_HOSTS_UPDATE);
        return topology;
    }

    /** A global store holding the compacted {@code topic} as the topic holds it (see {@link GlobalStoreUpdater}). */
    private static void addGlobalStore(Topology topology, String store, String source, String topic, String update) {
        topology.addGlobalStore(store(store, Serdes.String(), false).withLoggingDisabled(), source, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(), topic, update, () -> new GlobalStoreUpdater(store));
    }

    /** A store of byte values: RocksDB when {@code persistent}, else in memory. */
    private static <K> StoreBuilder<KeyValueStore<K, byte[]>> store(String name, Serde<K> keys, boolean persistent) {
        return Stores.keyValueStoreBuilder(persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name), keys,
                Serdes.ByteArray());
    }

    static String topicOf(ProcessorContext<?, ?> context) {
        return context.recordMetadata().map(RecordMetadata::topic).orElse(Topics.METRICS.name());
    }
}
