package dev.vigil.sinks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The sinks' own meters, beside the Kafka consumer's (lag per partition) on {@code /metrics}. */
final class SinkMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> rows = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> batchRows = new ConcurrentHashMap<>();
    private final Map<String, Timer> insertLatency = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    final Counter retries;
    final Counter flushes;
    final Counter registryUnavailable;
    final Counter commitFailures;

    SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = Counter.builder("vigil.sink.retries")
                .description("flushes retried because ClickHouse was unreachable or refused a whole table").register(registry);
        this.flushes = Counter.builder("vigil.sink.flushes").description("flushes completed and committed").register(registry);
        this.registryUnavailable = Counter.builder("vigil.sink.registry.unavailable")
                .description("records put back to be read again because the schema registry could not be reached").register(registry);
        this.commitFailures = Counter.builder("vigil.sink.commit.failures")
                .description("offset commits that failed after a successful insert (the next flush commits again)").register(registry);
    }

    void inserted(String table, int rowCount, long nanos) {
        rows.computeIfAbsent(table, t -> Counter.builder("vigil.sink.rows").description("rows written to ClickHouse")
                .tag("table", t).register(registry)).increment(rowCount);
        batchRows.computeIfAbsent(table, t -> DistributionSummary.builder("vigil.sink.insert.rows").description("rows per insert")
                .tag("table", t).register(registry)).record(rowCount);
        insertLatency.computeIfAbsent(table, t -> Timer.builder("vigil.sink.insert.latency").description("time of one insert")
                .tag("table", t).publishPercentiles(0.5, 0.99).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void refusedRecord(String table) {
        refused.computeIfAbsent(table, t -> Counter.builder("vigil.sink.records.refused")
                .description("records whose rows ClickHouse refused (sent to the dead-letter topic)").tag("table", t).register(registry))
                .increment();
    }

    void deadLetter(String reason) {
        deadLetters.computeIfAbsent(reason, r -> Counter.builder("vigil.sink.dead.letters")
                .description("records sent to the dead-letter topic").tag("reason", r).register(registry)).increment();
    }
}
