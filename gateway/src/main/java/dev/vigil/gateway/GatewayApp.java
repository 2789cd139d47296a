package dev.vigil.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vigil.avro.MetricBatch;
import dev.vigil.gateway.otlp.OtlpProtocol;
import dev.vigil.gateway.publish.BatchAssembler;
import dev.vigil.gateway.publish.BatchPublisher;
import dev.vigil.gateway.publish.EncodedBatch;
import dev.vigil.gateway.publish.GatewayMetrics;
import dev.vigil.gateway.publish.SeriesTable;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.Services;
import dev.vigil.runtime.http.HttpResponses;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.http.RouteAccess;
import dev.vigil.runtime.security.http.SecureHttpServer;
import dev.vigil.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A running gateway: the {@link BatchPublisher} with its pool of transactional producers, every registered
 * {@link GatewayProtocol}, and the shared HTTP server ({@link SecureHttpServer}) with the protocols' routes plus
 * {@code GET /metrics} (viewer) and {@code GET /healthz} (open).
 */
public final class GatewayApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

    /** Every protocol the gateway speaks, in start order: one line per protocol. */
    static final List<Supplier<GatewayProtocol>> PROTOCOLS = List.of(
            OtlpProtocol::new,
            dev.vigil.gateway.prometheus.RemoteWriteProtocol::new,
            dev.vigil.gateway.prometheus.ScrapeProtocol::new);

    private final List<AutoCloseable> started;
    private final SecureHttpServer http;
    private final List<GatewayProtocol> protocols;
    private final PrometheusMeterRegistry metrics;

    private GatewayApp(List<AutoCloseable> started, SecureHttpServer http, List<GatewayProtocol> protocols, PrometheusMeterRegistry metrics) {
        this.started = started;
        this.http = http;
        this.protocols = protocols;
        this.metrics = metrics;
    }

    /** Starts the gateway with every protocol of {@link #PROTOCOLS}. */
    public static GatewayApp start(GatewayConfig config) throws IOException {
        return start(config, PROTOCOLS);
    }

    /** Starts the gateway with {@code protocols} (tests start fewer). */
    static GatewayApp start(GatewayConfig config, List<Supplier<GatewayProtocol>> protocolFactories) throws IOException {
        Objects.requireNonNull(config, "config can't be null");
        log.info("Starting the gateway: {}", config);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            GatewayMetrics metrics = new GatewayMetrics(registry);
            AvroSerdes serdes = new AvroSerdes(config.registry());
            started.add(serdes);
            BatchAssembler assembler = new BatchAssembler(config.maxSeriesPerHost(), config.ratesMaxSeries(), config.staleness());
            BatchPublisher publisher = new BatchPublisher(assembler, metrics, config.topic(),
                    EncodedBatch.Writer.of(serdes.valueSerde(MetricBatch.class).serializer()),
                    BatchPublisher.kafkaProducers(config.kafka(), config.publish().timeout()), config.publish().producers(),
                    config.publish().maxInFlight(), config.publish().timeout(), config.publish().retryAfter(), Clock.systemUTC());
            started.add(publisher);
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(daemon("vigil-gateway-sweep"));
            started.add(sweeper::shutdownNow);
            long every = SeriesTable.SWEEP_EVERY.toMillis();
            sweeper.scheduleWithFixedDelay(publisher::expireIdle, every, every, TimeUnit.MILLISECONDS);

            SecureHttpServer http = SecureHttpServer.create(config.httpHost(), config.httpPort(), 128, config.httpSecurity(), registry, "gateway");
            ExecutorService executor = Executors.newFixedThreadPool(Math.max(4, config.publish().maxInFlight() / 4), daemon("vigil-gateway-http"));
            http.server().setExecutor(executor);
            GatewayContext context = new GatewayContext(config, publisher, metrics, http, serdes);
            List<GatewayProtocol> protocols = new ArrayList<>();
            for (Supplier<GatewayProtocol> factory : protocolFactories) {
                GatewayProtocol protocol = factory.get();
                protocol.start(context);
                started.add(protocol);
                protocols.add(protocol);
            }
            http.route("/metrics", RouteAccess.role(Role.VIEWER), exchange -> {
                try (exchange) {
                    HttpResponses.prometheus(exchange, registry);
                }
            });
            GatewayApp app = new GatewayApp(started, http, List.copyOf(protocols), registry);
            http.route("/healthz", RouteAccess.open(), exchange -> {
                try (exchange) {
                    String trouble = app.problem();
                    ObjectNode health = JsonNodeFactory.instance.objectNode().put("status", trouble == null ? "UP" : "DOWN");
                    if (trouble != null) {
                        health.put("problem", trouble);
                    }
                    HttpResponses.json(exchange, trouble == null ? 200 : 503, health);
                }
            });
            http.server().start();
            started.add(() -> stopGracefully(http, executor, config.publish().timeout()));
            log.info("Gateway running: {}", app.addresses());
            return app;
        } catch (IOException | RuntimeException e) {
            Services.closeInReverse(started, log);
            throw e;
        }
    }

    /** {@code java dev.vigil.gateway.GatewayApp [gateway.properties]}; {@code vigil gateway} is the usual way in. */
    public static void main(String[] args) throws Exception {
        ConfigSource source = ConfigSource.load(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        Services.runUntilJvmStops("gateway", start(GatewayConfig.from(source)));
    }

    /** host:port of the shared HTTP server. */
    public String httpAddress() {
        return http.server().getAddress().getHostString() + ":" + http.server().getAddress().getPort();
    }

    /** Base URL of the shared HTTP server: {@code http://127.0.0.1:4318}. */
    public String httpUrl() {
        return http.scheme() + "://" + httpAddress();
    }

    /** What it listens on, label to address: the HTTP server and each protocol's own. */
    public Map<String, String> addresses() {
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("HTTP", httpUrl());
        protocols.forEach(protocol -> addresses.putAll(protocol.addresses()));
        return addresses;
    }

    /** Null while every protocol is healthy, else what is wrong. */
    public String problem() {
        return protocols.stream().map(GatewayProtocol::problem).filter(Objects::nonNull).findFirst().orElse(null);
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        Services.closeInReverse(started, log);
    }

    /**
     * Lets the requests under way finish and answer their clients, up to one publish timeout and a second, refusing
     * new ones meanwhile (the server closes a connection whose request its executor refuses); then stops the server and
     * interrupts what is left. Not {@code HttpServer.stop(delay)}: JDK 17's waits the whole delay even when idle.
     */
    private static void stopGracefully(SecureHttpServer http, ExecutorService executor, Duration publishTimeout) {
        executor.shutdown();
        try {
            executor.awaitTermination(publishTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.server().stop(0);
            executor.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
