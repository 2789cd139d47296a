package dev.vigil.streams;

import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.Alert;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.deadletter.DeadLetterStage;
import dev.vigil.schemas.deadletter.DeadLetters;

/**
 * Where {@link HostBatchProcessor}'s results go: one method per output, each forwarding to its node in
 * {@link ScoringTopology} (the topic's sink, or the node that handles it on the way), keyed by host, and counting what
 * it sends where the topology counts it.
 */
final class ProcessorOutput {

    private static final Logger log = LoggerFactory.getLogger(ProcessorOutput.class);

    private final ProcessorContext<String, SpecificRecord> context;
    private final ScoringMetrics metrics;

    ProcessorOutput(ProcessorContext<String, SpecificRecord> context, ScoringMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    void scores(String hostId, long time, ScoreBatch scores) {
        forward(time, ScoringTopology.SCORES_SINK, hostId, scores);
    }

    /** To {@code vigil.alerts}, through the node that marks silenced alerts ({@link SilencedAlertMarker}), which counts them. */
    void alert(String hostId, long time, Alert alert) {
        forward(time, ScoringTopology.MARK_SILENCED, hostId, alert);
    }

    /** The host has reported: its decoded batch, to the node that watches for hosts falling silent ({@link HostSilenceWatcher}). */
    void reported(String hostId, long time, MetricBatch batch) {
        forward(time, ScoringTopology.HOST_SILENCE_WATCHER, hostId, batch);
    }

    void rollup(String hostId, long time, Rollup rollup) {
        forward(time, ScoringTopology.ROLLUPS_SINK, hostId, rollup);
    }

    void forecast(String hostId, long time, Forecast forecast) {
        forward(time, ScoringTopology.FORECASTS_SINK, hostId, forecast);
    }

    /**
     * The record being processed, with its original bytes, to the dead-letter topic (keyed by its source topic), in
     * the same transaction as everything else the record caused.
     */
    void deadLetter(Record<String, byte[]> record, DeadLetterReason reason, String message) {
        metrics.deadLetter(reason.name());
        DeadLetters.Source source = context.recordMetadata()
                .map(metadata -> new DeadLetters.Source(metadata.topic(), metadata.partition(), metadata.offset()))
                .orElse(DeadLetters.Source.UNKNOWN);
        log.warn("Dead letter from {}-{}@{}: {}: {}", source.topic(), source.partition(), source.offset(), reason, message);
        DeadLetter letter = DeadLetters.build(source, DeadLetters.keyBytes(record.key()), record.value(), DeadLetterStage.STREAMS, reason,
                message, Instant.ofEpochMilli(context.currentSystemTimeMs()));
        forward(record.timestamp(), ScoringTopology.DEAD_LETTERS_SINK, DeadLetters.key(letter), letter);
    }

    private void forward(long timestamp, String sink, String key, SpecificRecord value) {
        context.forward(new Record<>(key, value, timestamp), sink);
    }
}
