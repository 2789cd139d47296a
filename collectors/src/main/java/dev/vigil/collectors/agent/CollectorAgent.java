package dev.vigil.collectors.agent;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.MetricBatch;
import dev.vigil.collectors.ingest.PushBuffer;
import dev.vigil.collectors.ingest.PushValidator;
import dev.vigil.collectors.ingest.PushedSample;
import dev.vigil.collectors.sensors.CpuSensor;
import dev.vigil.collectors.sensors.DiskSensor;
import dev.vigil.collectors.sensors.FileSystemSensor;
import dev.vigil.collectors.sensors.MemorySensor;
import dev.vigil.collectors.sensors.NetworkSensor;
import dev.vigil.collectors.sensors.Sensor;
import dev.vigil.collectors.sensors.SystemSensor;
import dev.vigil.collectors.sensors.TcpSensor;
import dev.vigil.collectors.sensors.TopProcessesSensor;
import dev.vigil.collectors.spool.Shipper;
import dev.vigil.collectors.spool.Spool;
import dev.vigil.runtime.metrics.RateTracker;
import dev.vigil.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * The host agent: every interval it reads the sensors that are due, adds what applications pushed, and
 * writes one {@link MetricBatch} to the spool, from which the {@link Shipper} sends it to Kafka.
 *
 * <p>One thread ticks; one ships; two serve HTTP. Nothing here blocks on Kafka or the registry: when they
 * are away, batches wait in the spool.
 */
public final class CollectorAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CollectorAgent.class);
    private static final int MAX_IN_FLIGHT = 1_000;

    private final AgentConfig config;
    private final Map<Sensor, Duration> sensors;
    private final Map<Sensor, Long> nextDueNanos = new HashMap<>();
    private final RateTracker rates = new RateTracker();
    private final PushBuffer pushes;
    private final Spool spool;
    private final AvroSerdes serdes;
    /** Remediation commands for this host, when its config allow-lists any action. */
    private final HostCommandListener commands;
    private final Shipper shipper;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentHttpServer http;
    private final ScheduledExecutorService ticker;
    private final Timer tickTimer;
    private final Counter samplesCounter;
    private final Counter droppedReadings;
    private final Counter spoolErrors;
    private final AtomicLong lastTickMillis = new AtomicLong();
    private boolean closed;

    private CollectorAgent(AgentConfig config, Map<Sensor, Duration> sensors) throws IOException {
        this.config = config;
        this.sensors = sensors;
        this.pushes = new PushBuffer(config.ingestLimits().maxBufferedSamples());
        this.spool = new Spool(config.spoolDir(), config.spoolMaxBytes());
        this.serdes = new AvroSerdes(config.registry());
        this.commands = config.actions().isEmpty() ? null : new HostCommandListener(config, serdes);
        // Only the serde it writes: the whole topic registry would load every record class into a 96 MiB budget.
        Serializer<MetricBatch> batches = serdes.valueSerde(MetricBatch.class).serializer();
        this.shipper = new Shipper(spool, () -> newProducer(config, batches), config.topic(), MAX_IN_FLIGHT);
        this.tickTimer = Timer.builder("vigil.collector.tick.duration").description("Time to read the due sensors and spool a batch")
                .register(metrics);
        this.samplesCounter = metrics.counter("vigil.collector.samples");
        this.droppedReadings = metrics.counter("vigil.collector.readings.dropped");
        this.spoolErrors = metrics.counter("vigil.collector.spool.errors");
        Gauge.builder("vigil.collector.spool.batches", spool, Spool::size).register(metrics);
        Gauge.builder("vigil.collector.spool.bytes", spool, Spool::bytes).register(metrics);
        Gauge.builder("vigil.collector.spool.dropped", spool, Spool::dropped).description("Batches dropped because the spool was full")
                .register(metrics);
        Gauge.builder("vigil.collector.spool.corrupt", spool, Spool::corrupt).description("Spooled batches unreadable and dropped")
                .register(metrics);
        Gauge.builder("vigil.collector.batches.shipped", shipper, Shipper::shipped).register(metrics);
        Gauge.builder("vigil.collector.ship.failures", shipper, Shipper::failures).register(metrics);
        Gauge.builder("vigil.collector.push.buffered", pushes, PushBuffer::size).register(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        this.http = new AgentHttpServer(config.httpHost(), config.httpPort(), config.httpSecurity(), new PushValidator(config.ingestLimits()), pushes,
                config.ingestLimits().maxRequestBytes(), metrics, this::health);
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "vigil-agent-tick"));
    }

    /** Starts an agent reading this host through OSHI. */
    public static CollectorAgent start(AgentConfig config) throws IOException {
        SystemInfo system = new SystemInfo();
        HardwareAbstractionLayer hardware = system.getHardware();
        OperatingSystem os = system.getOperatingSystem();
        Map<String, Sensor> available = Map.of(
                "cpu", new CpuSensor(hardware.getProcessor()),
                "memory", new MemorySensor(hardware.getMemory()),
                "filesystem", new FileSystemSensor(os.getFileSystem()),
                "disk", new DiskSensor(hardware::getDiskStores),
                "network", new NetworkSensor(() -> hardware.getNetworkIFs(false)),
                "system", new SystemSensor(os),
                "tcp", new TcpSensor(os.getInternetProtocolStats()),
                "top", new TopProcessesSensor(os, config.topN()));
        Map<Sensor, Duration> enabled = new LinkedHashMap<>();
        for (String name : AgentConfig.SENSORS) {
            if (config.sensorIntervals().containsKey(name)) {
                enabled.put(available.get(name), config.sensorIntervals().get(name));
            }
        }
        return start(config, enabled);
    }

    /** Starts an agent with the given sensors and intervals (tests use their own). */
    public static CollectorAgent start(AgentConfig config, Map<Sensor, Duration> sensors) throws IOException {
        CollectorAgent agent = new CollectorAgent(config, sensors);
        agent.http.start();
        agent.shipper.start();
        if (agent.commands != null) {
            agent.commands.start();
        }
        long period = config.interval().toMillis();
        agent.ticker.scheduleAtFixedRate(agent::tickSafely, 0, period, TimeUnit.MILLISECONDS);
        log.info("Collecting as host {} every {} with sensors {}; HTTP on {}:{}; spool {}", config.hostId(), config.interval(),
                sensors.keySet().stream().map(Sensor::name).toList(), config.httpHost(), agent.http.port(), config.spoolDir());
        return agent;
    }

    private void tickSafely() {
        try {
            tickTimer.record(this::tick);
        } catch (RuntimeException e) {
            log.error("Tick failed", e); // never let the scheduler die: the next tick tries again
        }
    }

    private void tick() {
        long now = System.nanoTime();
        SampleSink sink = new SampleSink(rates, now);
        for (Map.Entry<Sensor, Duration> entry : sensors.entrySet()) {
            Sensor sensor = entry.getKey();
            // Half a tick of slack so jitter never makes a sensor skip its turn.
            if (now >= nextDueNanos.getOrDefault(sensor, 0L) - config.interval().toNanos() / 2) {
                nextDueNanos.put(sensor, now + entry.getValue().toNanos());
                try {
                    sensor.read(sink);
                } catch (RuntimeException e) {
                    metrics.counter("vigil.collector.sensor.errors", "sensor", sensor.name()).increment();
                    log.warn("Sensor {} failed: {}", sensor.name(), e.toString());
                }
            }
        }
        List<PushedSample> pushed = pushes.drain();
        pushed.forEach(sink::pushed);
        rates.endTick(10);
        droppedReadings.increment(sink.dropped());
        lastTickMillis.set(System.currentTimeMillis());
        if (sink.samples().isEmpty()) {
            return;
        }
        MetricBatch batch = MetricBatch.newBuilder()
                .setHostId(config.hostId())
                .setHostLabels(config.hostLabels())
                .setCollectedAt(Instant.now())
                .setSequence(spool.nextSequence())
                .setSamples(sink.samples())
                .build();
        try {
            spool.append(batch);
            samplesCounter.increment(batch.getSamples().size());
        } catch (IOException e) {
            spoolErrors.increment();
            log.error("Cannot spool batch {} ({} samples): {}", batch.getSequence(), batch.getSamples().size(), e.toString());
        }
    }

    private AgentHttpServer.Health health() {
        long sinceTick = System.currentTimeMillis() - lastTickMillis.get();
        boolean ticking = lastTickMillis.get() > 0 && sinceTick < 3 * config.interval().toMillis() + 1_000;
        String detail = "last tick " + sinceTick + " ms ago; spool " + spool.size() + " batch(es); shipped " + shipper.shipped()
                + "; dropped " + spool.dropped();
        return new AgentHttpServer.Health(ticking, detail);
    }

    private static Producer<String, MetricBatch> newProducer(AgentConfig config,
            Serializer<MetricBatch> serializer) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Never give up on a batch while Kafka is away: the idempotent producer keeps order and drops duplicates.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-collector-" + config.hostId());
        props.putAll(config.kafka());
        return new KafkaProducer<>(props, new StringSerializer(), serializer);
    }

    /** The port the HTTP endpoint listens on. */
    public int httpPort() {
        return http.port();
    }

    /** The Prometheus registry with the agent's self-metrics. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public Spool spool() {
        return spool;
    }

    public Shipper shipper() {
        return shipper;
    }

    /** Stops ticking, serving and shipping; batches not yet in Kafka stay spooled for the next start. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdown();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        if (commands != null) {
            commands.close();
        }
        shipper.close(Duration.ofSeconds(5));
        serdes.close();
        log.info("Collector stopped; {} batch(es) left in the spool", spool.size());
    }
}
