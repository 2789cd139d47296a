package dev.vigil.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.vigil.avro.Alert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The topology's own counters, beside Kafka Streams' metrics on {@code /metrics}. */
public final class ScoringMetrics {

    private final MeterRegistry registry;
    final Counter batches;
    final Counter samplesScored;
    final Counter samplesOutOfOrder;
    final Counter samplesLateForRollups;
    final Counter samplesInvalid;
    final Counter seriesRefused;
    final Counter stateUnreadable;
    final Counter samplesAhead;
    final Counter registryUnavailable;
    final Counter silencesInvalid;
    final Counter retirementsInvalid;
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter> alerts = new ConcurrentHashMap<>();

    public ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batches = Counter.builder("vigil.streams.batches").description("metric batches processed").register(registry);
        this.samplesScored = Counter.builder("vigil.streams.samples.scored").description("samples scored").register(registry);
        this.samplesOutOfOrder = Counter.builder("vigil.streams.samples.out.of.order")
                .description("samples skipped because their series already had a newer (or equal) timestamp").register(registry);
        this.samplesLateForRollups = Counter.builder("vigil.streams.samples.late")
                .description("samples scored but left out of rollups: their window had closed (after its grace)").register(registry);
        this.samplesInvalid = Counter.builder("vigil.streams.samples.invalid")
                .description("samples refused as invalid (sent to the dead-letter topic with their batch)").register(registry);
        this.seriesRefused = Counter.builder("vigil.streams.series.refused")
                .description("samples of new series refused because their host reached max.series.per.host").register(registry);
        this.samplesAhead = Counter.builder("vigil.streams.samples.clock.skew")
                .description("samples refused because they were stamped further ahead than max.clock.skew").register(registry);
        this.registryUnavailable = Counter.builder("vigil.streams.registry.unavailable")
                .description("batches whose writer schema could not be fetched: the thread is replaced and reads them again")
                .register(registry);
        this.silencesInvalid = Counter.builder("vigil.streams.silences.invalid")
                .description("versions of silences on vigil.silences that cannot be decoded or break the silence contract: they silence nothing")
                .register(registry);
        this.retirementsInvalid = Counter.builder("vigil.streams.retirements.invalid")
                .description("records on vigil.hosts.retired that cannot be decoded: their host counts as not retired").register(registry);
        this.stateUnreadable = Counter.builder("vigil.streams.state.unreadable")
                .description("host states that could not be read and were started afresh").register(registry);
    }

    void deadLetter(String reason) {
        deadLetters.computeIfAbsent(reason, r -> Counter.builder("vigil.streams.dead.letters")
                .description("records sent to the dead-letter topic").tag("reason", r).register(registry)).increment();
    }

    void alert(Alert alert) {
        String event = alert.getEvent().name();
        String scope = alert.getScope().name();
        String kind = alert.getKind().name();
        String silenced = Boolean.toString(alert.getSilencedBy() != null);
        alerts.computeIfAbsent(event + '/' + scope + '/' + kind + '/' + silenced, k -> Counter.builder("vigil.streams.alerts")
                .description("alert events emitted").tag("event", event).tag("scope", scope).tag("kind", kind).tag("silenced", silenced)
                .register(registry)).increment();
    }
}
