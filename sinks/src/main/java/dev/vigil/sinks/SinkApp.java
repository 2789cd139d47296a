package dev.vigil.sinks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.Services;
import dev.vigil.runtime.http.HealthMetricsServer;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.clickhouse.ClickHouseUnavailableException;
import dev.vigil.sinks.clickhouse.SchemaMigrations;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A running sink: the schema brought up to date, the {@link ClickHouseSink} consuming, the retention job
 * scheduled, and {@code /healthz} and {@code /metrics} served.
 */
public final class SinkApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SinkApp.class);
    private static final Duration RETENTION_EVERY = Duration.ofHours(1);

    private final ClickHouse clickHouse;
    private final ClickHouseSink sink;
    private final HealthMetricsServer http;
    private final ScheduledExecutorService scheduler;
    private final PrometheusMeterRegistry metrics;

    private SinkApp(ClickHouse clickHouse, ClickHouseSink sink, HealthMetricsServer http, ScheduledExecutorService scheduler,
                    PrometheusMeterRegistry metrics) {
        this.clickHouse = clickHouse;
        this.sink = sink;
        this.http = http;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /**
     * Applies the schema migrations (waiting for ClickHouse, with backoff, if it is not up yet), then starts.
     *
     * @throws dev.vigil.sinks.clickhouse.ClickHouseRefusedException naming the migration the server refused
     */
    public static SinkApp start(SinkConfig config) throws IOException {
        Objects.requireNonNull(config, "config can't be null");
        log.info("Starting the ClickHouse sink: {}", config);
        ClickHouse clickHouse = new ClickHouse(config.clickHouseUrl(), config.clickHouseUser(), config.clickHousePassword(),
                config.database(), config.insertTimeout());
        try {
            List<Integer> applied = migrate(clickHouse, config);
            log.info("ClickHouse schema up to date{}", applied.isEmpty() ? "" : " (applied migrations " + applied + ")");
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ClickHouseSink sink = new ClickHouseSink(config, clickHouse, metrics);
            HealthMetricsServer http = new HealthMetricsServer(config.httpHost(), config.httpPort(), config.httpSecurity(), metrics,
                    sink::problem, "sink");
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "vigil-sink-retention");
                thread.setDaemon(true);
                return thread;
            });
            RetentionJob retention = new RetentionJob(clickHouse, config.retention(), Clock.systemUTC());
            scheduler.scheduleWithFixedDelay(retention::runQuietly, 0, RETENTION_EVERY.toMinutes(), TimeUnit.MINUTES);
            sink.start();
            log.info("ClickHouse sink running; HTTP on {}", http.address());
            return new SinkApp(clickHouse, sink, http, scheduler, metrics);
        } catch (RuntimeException | IOException e) {
            clickHouse.close();
            throw e;
        }
    }

    private static List<Integer> migrate(ClickHouse clickHouse, SinkConfig config) {
        Duration backoff = Duration.ofSeconds(1);
        while (true) {
            try {
                return SchemaMigrations.apply(clickHouse, new SchemaMigrations.Context(config.database(), config.retention()));
            } catch (ClickHouseUnavailableException e) {
                log.warn("ClickHouse unavailable at start ({}); retrying in {}", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = config.nextBackoff(backoff);
            }
        }
    }

    /** {@code java dev.vigil.sinks.SinkApp [sink.properties]}; {@code vigil sink} is the usual way in. */
    public static void main(String[] args) throws Exception {
        ConfigSource source = ConfigSource.load(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), System.getenv());
        Services.runUntilJvmStops("sink", start(SinkConfig.from(source)));
    }

    /** Where /healthz and /metrics listen. */
    public String httpAddress() {
        return http.address();
    }

    /** Null while healthy, else what is wrong. */
    public String problem() {
        return sink.problem();
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() {
        sink.close();
        scheduler.shutdownNow();
        http.close();
        clickHouse.close();
    }
}
