package dev.vigil.streams;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.vigil.avro.Alert;
import dev.vigil.avro.Silence;

/**
 * The node every alert passes on its way to {@code vigil.alerts}, whichever processor made it: an alert that a silence
 * in force covers (on the application's clock) leaves with that silence's id in {@code silencedBy}, and is still
 * published. Counts every alert that leaves ({@code vigil_streams_alerts_total}).
 */
final class SilencedAlertMarker implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private final Deserializer<Silence> silences;
    private final ScoringMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private SilenceBook book;

    SilencedAlertMarker(Deserializer<Silence> silences, ScoringMetrics metrics) {
        this.silences = silences;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.book = new SilenceBook(context.getStateStore(ScoringTopology.SILENCES_STORE), silences, metrics);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Alert alert = (Alert) record.value();
        String silence = book.coveringSilence(alert.getHostId(), alert.getHostLabels(), alert.getMetric(), context.currentSystemTimeMs());
        Alert marked = silence == null ? alert : Alert.newBuilder(alert).setSilencedBy(silence).build();
        metrics.alert(marked);
        context.forward(record.withValue(marked), ScoringTopology.ALERTS_SINK);
    }
}
