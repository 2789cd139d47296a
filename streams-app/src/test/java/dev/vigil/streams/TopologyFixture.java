package dev.vigil.streams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.Sample;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.avro.Silence;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The scoring topology under TopologyTestDriver, with typed input and output topics and its counters. */
final class TopologyFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
    /**
     * The driver's wall clock stays at {@link #T0} unless a test moves it, while the samples of a replayed
     * history run days ahead of it: these settings let them through the clock-skew check.
     */
    static final TopologySettings REPLAY = TopologySettings.DEFAULT.withMaxClockSkew(Duration.ofDays(365));

    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final Topics topics = new Topics(AvroSerdes.on(new InMemorySchemaRegistryClient()));
    final TopologyTestDriver driver;
    private final TestInputTopic<String, MetricBatch> batches;
    private final TestInputTopic<String, byte[]> rawBatches;
    private final TestInputTopic<String, Silence> silences;
    private final TestInputTopic<String, byte[]> rawSilences;
    private final TestInputTopic<String, HostRetirement> retirements;
    private final TestOutputTopic<String, ScoreBatch> scores;
    private final TestOutputTopic<String, Rollup> rollups;
    private final TestOutputTopic<String, Forecast> forecasts;
    private final TestOutputTopic<String, Alert> alerts;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private long sequence;

    TopologyFixture(TopologySettings settings, Path stateDir) {
        this(settings, stateDir, T0);
    }

    /** @param wallClock where the driver's wall clock starts */
    TopologyFixture(TopologySettings settings, Path stateDir, Instant wallClock) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vigil-streams-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ScoringTopology.build(settings, topics, metrics, false), props, wallClock);
        batches = driver.createInputTopic(Topics.METRICS.name(), new StringSerializer(), topics.metrics().valueSerde().serializer());
        rawBatches = driver.createInputTopic(Topics.METRICS.name(), new StringSerializer(), new ByteArraySerializer());
        silences = driver.createInputTopic(Topics.SILENCES.name(), new StringSerializer(), topics.silences().valueSerde().serializer());
        rawSilences = driver.createInputTopic(Topics.SILENCES.name(), new StringSerializer(), new ByteArraySerializer());
        retirements = driver.createInputTopic(Topics.RETIRED_HOSTS.name(), new StringSerializer(),
                topics.retiredHosts().valueSerde().serializer());
        scores = output(Topics.SCORES.name(), topics.scores().valueSerde().deserializer());
        rollups = output(Topics.ROLLUPS.name(), topics.rollups().valueSerde().deserializer());
        forecasts = output(Topics.FORECASTS.name(), topics.forecasts().valueSerde().deserializer());
        alerts = output(Topics.ALERTS.name(), topics.alerts().valueSerde().deserializer());
        deadLetters = output(Topics.DEAD_LETTERS.name(), topics.deadLetters().valueSerde().deserializer());
    }

    private <V> TestOutputTopic<String, V> output(String topic, org.apache.kafka.common.serialization.Deserializer<V> values) {
        return driver.createOutputTopic(topic, new StringDeserializer(), values);
    }

    static Sample sample(String name, double value, String... labels) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return Sample.newBuilder().setName(name).setLabels(map).setValue(value).setUnit("1").setKind(MetricKind.GAUGE)
                .setObservedAt(null).build();
    }

    static MetricBatch batch(String host, Instant time, Sample... samples) {
        return MetricBatch.newBuilder().setHostId(host).setHostLabels(Map.of("role", "web")).setCollectedAt(time)
                .setSequence(0).setSamples(Arrays.asList(samples)).build();
    }

    void send(String host, Instant time, Sample... samples) {
        MetricBatch batch = batch(host, time, samples);
        batch = MetricBatch.newBuilder(batch).setSequence(++sequence).build();
        batches.pipeInput(host, batch, time);
    }

    void send(String key, MetricBatch batch) {
        batches.pipeInput(key, batch, batch.getCollectedAt());
    }

    void sendRaw(String key, byte[] value) {
        rawBatches.pipeInput(key, value);
    }

    /** One series of one host: {@code values[i]} at {@code start + i * step}. */
    void sendSeries(String host, String metric, Instant start, Duration step, double... values) {
        for (int i = 0; i < values.length; i++) {
            send(host, start.plus(step.multipliedBy(i)), sample(metric, values[i]));
        }
    }

    /** A silence (or a new version of one) on {@code vigil.silences}. */
    void silence(Silence silence) {
        silences.pipeInput(silence.getSilenceId(), silence);
    }

    void sendRawSilence(String key, byte[] value) {
        rawSilences.pipeInput(key, value);
    }

    /** A host retired ({@code retired}) or reinstated, on {@code vigil.hosts.retired}. */
    void retire(String host, boolean retired, String author, String reason) {
        retirements.pipeInput(host, new HostRetirement(host, retired, author, reason, T0));
    }

    void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    /** Every score published since the last read, batches flattened in order. */
    List<AnomalyScore> scores() {
        return scoreBatches().stream().flatMap(batch -> batch.getScores().stream()).toList();
    }

    List<ScoreBatch> scoreBatches() {
        return scores.readValuesToList();
    }

    List<Rollup> rollups() {
        return rollups.readValuesToList();
    }

    List<Forecast> forecasts() {
        return forecasts.readValuesToList();
    }

    List<Alert> alerts() {
        return alerts.readValuesToList();
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    double counter(String name, String... tags) {
        Counter counter = metrics.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Both stores' contents: what a restarted instance restores from the changelogs. */
    record StoreSnapshot(Map<String, byte[]> hosts, Map<Bytes, byte[]> dailyProfiles, Map<Bytes, byte[]> closeIndex) {
    }

    StoreSnapshot snapshot() {
        return new StoreSnapshot(contents(ScoringTopology.HOST_STATE_STORE), contents(ScoringTopology.DAILY_PROFILE_STORE),
                contents(ScoringTopology.CLOSE_INDEX_STORE));
    }

    /** A snapshot kept as a test resource: lines of store name, key and value, both in base64. */
    static StoreSnapshot snapshotFrom(String resource) throws IOException {
        Map<String, byte[]> hosts = new HashMap<>();
        Map<Bytes, byte[]> dailyProfiles = new HashMap<>();
        Map<Bytes, byte[]> closeIndex = new HashMap<>();
        try (InputStream in = TopologyFixture.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split("\t", -1);
                byte[] key = Base64.getDecoder().decode(fields[1]);
                byte[] value = Base64.getDecoder().decode(fields[2]);
                switch (fields[0]) {
                    case "hosts" -> hosts.put(new String(key, StandardCharsets.UTF_8), value);
                    case "dailyProfiles" -> dailyProfiles.put(Bytes.wrap(key), value);
                    case "closeIndex" -> closeIndex.put(Bytes.wrap(key), value);
                    default -> throw new IllegalArgumentException("unknown store " + fields[0] + " in " + resource);
                }
            }
        }
        return new StoreSnapshot(hosts, dailyProfiles, closeIndex);
    }

    /** Writes {@code contents} into the store of that name, as a restore from its changelog would. */
    <K> void restore(String storeName, Map<K, byte[]> contents) {
        KeyValueStore<K, byte[]> store = driver.getKeyValueStore(storeName);
        contents.forEach(store::put);
    }

    void restore(StoreSnapshot snapshot) {
        KeyValueStore<String, byte[]> hosts = driver.getKeyValueStore(ScoringTopology.HOST_STATE_STORE);
        snapshot.hosts().forEach(hosts::put);
        KeyValueStore<Bytes, byte[]> index = driver.getKeyValueStore(ScoringTopology.CLOSE_INDEX_STORE);
        snapshot.closeIndex().forEach(index::put);
        KeyValueStore<Bytes, byte[]> profiles = driver.getKeyValueStore(ScoringTopology.DAILY_PROFILE_STORE);
        snapshot.dailyProfiles().forEach(profiles::put);
    }

    /** One store's contents, by name. */
    <K> Map<K, byte[]> contents(String storeName) {
        KeyValueStore<K, byte[]> store = driver.getKeyValueStore(storeName);
        Map<K, byte[]> all = new HashMap<>();
        try (var entries = store.all()) {
            entries.forEachRemaining(entry -> all.put(entry.key, entry.value));
        }
        return all;
    }

    /** A smooth two-minute cycle (at 10-second steps) around {@code level}: a series with nothing anomalous in it. */
    static double[] wave(int n, double level, double amplitude) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = level + amplitude * Math.sin(2 * Math.PI * (i % 12) / 12);
        }
        return values;
    }

    /** Noise around {@code level}, deterministic. */
    static double[] noise(int n, double level, double amplitude, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = level + amplitude * (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    static List<Double> values(List<AnomalyScore> scores) {
        List<Double> values = new ArrayList<>();
        scores.forEach(s -> values.add(s.getScore()));
        return values;
    }

    @Override
    public void close() {
        driver.close();
    }
}
