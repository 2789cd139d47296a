package dev.vigil.streams;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.Silence;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.TopicSpec;
import dev.vigil.schemas.Topics;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.Services;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.streams.state.HostStateCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The running streams application: {@link ScoringTopology} in a {@link KafkaStreams} instance with
 * exactly-once processing and bounded RocksDB memory, plus its HTTP face ({@link StreamsHttpServer}).
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);
    /** The topics the topology reads or writes; they must exist before it starts. */
    private static final List<TopicSpec> TOPICS = List.of(Topics.METRICS, Topics.SCORES, Topics.ROLLUPS, Topics.FORECASTS,
            Topics.ALERTS, Topics.SILENCES, Topics.RETIRED_HOSTS, Topics.DEAD_LETTERS);

    private final KafkaStreams streams;
    private final StreamsHttpServer http;
    private final AvroSerdes serdes;
    private final KafkaProducer<String, Silence> silences;
    private final PrometheusMeterRegistry metrics;
    private final KafkaStreamsMetrics streamsMetrics;
    private final StateDirGuard stateDirGuard;

    private StreamsApp(KafkaStreams streams, StreamsHttpServer http, AvroSerdes serdes, KafkaProducer<String, Silence> silences,
                       PrometheusMeterRegistry metrics, KafkaStreamsMetrics streamsMetrics, StateDirGuard stateDirGuard) {
        this.streams = streams;
        this.silences = silences;
        this.stateDirGuard = stateDirGuard;
        this.http = http;
        this.serdes = serdes;
        this.metrics = metrics;
        this.streamsMetrics = streamsMetrics;
    }

    /**
     * Checks the topics, then starts processing and serving HTTP. After a run that died (see
     * {@link StateDirGuard}) the local state is wiped first and rebuilt from the changelogs.
     *
     * @throws IllegalStateException naming the topics that are missing, or if another instance uses the state dir
     */
    public static StreamsApp start(StreamsAppConfig config) throws IOException {
        Objects.requireNonNull(config, "config can't be null");
        requireTopics(config.kafka());
        StateDirGuard stateDirGuard = StateDirGuard.acquire(config.stateDir(), config.applicationId());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AvroSerdes serdes = new AvroSerdes(config.registry());
        Topics topics = new Topics(serdes);
        KafkaProducer<String, Silence> silences;
        StreamsHttpServer http;
        try {
            silences = silenceProducer(config, topics);
        } catch (RuntimeException e) {
            serdes.close();
            stateDirGuard.close();
            throw e;
        }
        try {
            http = new StreamsHttpServer(config.httpHost(), config.httpPort(), config.httpSecurity(), metrics, new HostStateCodec(DetectorSettings.DEFAULT),
                    silence -> silences.send(new ProducerRecord<>(Topics.SILENCES.name(), silence.getSilenceId(), silence))
                            .get(30, TimeUnit.SECONDS),
                    topics.silences().valueSerde().deserializer());
        } catch (IOException | RuntimeException e) {
            silences.close(Duration.ZERO);
            serdes.close();
            stateDirGuard.close();
            throw e;
        }
        try {
            KafkaStreams streams = new KafkaStreams(ScoringTopology.build(config.topology(), topics, metrics),
                    properties(config, http.address().host() + ":" + http.address().port()));
            Counter stateWipes = Counter.builder("vigil.streams.state.wipes")
                    .description("starts that found the last run had died and rebuilt the local state from the changelogs")
                    .register(metrics);
            if (stateDirGuard.previousRunDied()) {
                log.warn("The last run of {} with state dir {} did not stop cleanly: wiping its local state, which is rebuilt "
                        + "from the changelogs (exactly once)", config.applicationId(), config.stateDir());
                streams.cleanUp();
                stateWipes.increment();
            }
            Counter replacements = Counter.builder("vigil.streams.thread.replacements")
                    .description("stream threads that failed and were replaced (they resume from the last commit)").register(metrics);
            streams.setUncaughtExceptionHandler(error -> {
                // A record never gets here (bad ones become dead letters); this is a bug or the environment (the
                // schema registry unreachable, say). Replacing the thread retries from the last commit, which
                // exactly-once makes safe.
                replacements.increment();
                log.error("Stream thread failed; replacing it", error);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(metrics);
            http.serve(streams);
            streams.start();
            log.info("Streams application {} started; HTTP on {}:{}", config.applicationId(), http.address().host(), http.address().port());
            return new StreamsApp(streams, http, serdes, silences, metrics, streamsMetrics, stateDirGuard);
        } catch (RuntimeException e) {
            http.close();
            silences.close(Duration.ZERO);
            serdes.close();
            stateDirGuard.close();
            throw e;
        }
    }

    /**
     * Runs the application until the JVM is stopped: {@code java dev.vigil.streams.StreamsApp [config.properties]},
     * settings from the file and {@code VIGIL_*} variables. {@code vigil streams} is the usual way in.
     */
    public static void main(String[] args) throws Exception {
        ConfigSource source = ConfigSource.load(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        Services.runUntilJvmStops("streams", start(StreamsAppConfig.from(source)));
    }

    /** The producer of the HTTP API's silences: idempotent, acknowledged by every in-sync replica. */
    private static KafkaProducer<String, Silence> silenceProducer(StreamsAppConfig config, Topics topics) {
        Map<String, Object> producer = new HashMap<>(config.kafka()); // security settings included
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(producer, new StringSerializer(), topics.silences().valueSerde().serializer());
    }

    static Properties properties(StreamsAppConfig config, String applicationServer) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
        props.put(BoundedRocksDbConfig.MEMORY_CONFIG, Long.toString(config.rocksDbMemory()));
        // The stores are written once per batch with caching off (see ScoringTopology): no record cache needed.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // Outputs are many small records: batch and compress them.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 10);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.putAll(config.kafka());
        return props;
    }

    private static void requireTopics(Map<String, Object> kafka) {
        Map<String, Object> adminConfig = new HashMap<>(kafka); // security settings included
        adminConfig.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(adminConfig)) {
            List<String> missing = new TopicProvisioner(admin).describe(TOPICS).stream()
                    .filter(state -> !state.exists()).map(state -> state.spec().name()).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("topics " + missing + " do not exist; create them with `vigil topics create`");
            }
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Where the HTTP face listens. */
    public String httpAddress() {
        return http.address().host() + ":" + http.address().port();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * Stops processing after committing what was processed; waits at most {@code timeout}. Only a stop that
     * finished in time leaves the local state to be trusted by the next start.
     */
    public void close(Duration timeout) {
        boolean stopped = streams.close(new KafkaStreams.CloseOptions().timeout(timeout));
        streamsMetrics.close();
        http.close();
        silences.close(Duration.ofSeconds(5));
        serdes.close();
        if (stopped) {
            stateDirGuard.releaseClean();
        } else {
            log.warn("Streams did not stop within {}: the next start rebuilds the local state", timeout);
            stateDirGuard.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
