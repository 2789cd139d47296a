package dev.vigil.streams;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.streams.alerts.HostAlertGrouping;
import dev.vigil.streams.alerts.SeriesAlert;
import dev.vigil.streams.state.DailyProfilePages;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.HostStateCodec;
import dev.vigil.streams.state.SeriesState;

/**
 * Takes in one host's {@link MetricBatch} at a time, in one read-modify-write of the host's state: decodes it
 * ({@link MetricBatchDecoder}), admits its samples ({@link SampleAdmission}), scores each against its series'
 * detector, fills the series' rollup windows ({@link RollupWindows}, which also feed the watch on bounded series
 * running out, {@link ExhaustionWatch}), moves the series' and the host's alerts along, and sends what it made and what it refused ({@link ProcessorOutput}). The host's state lives in
 * {@link HostStores}.
 */
final class HostBatchProcessor implements Processor<String, byte[], String, SpecificRecord> {

    /** Close-index entries handled per punctuation, so one punctuation never stalls the stream thread for long. */
    private static final int MAX_CLOSES_PER_CHECK = 10_000;

    private final TopologySettings settings;
    private final MetricBatchDecoder decoder;
    private final SampleAdmission admission;
    private final HostStateCodec codec;
    private final AlertFactory alerts;
    private final ScoringMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private HostStores stores;
    private ProcessorOutput output;
    private RollupWindows rollups;
    /** Newest sample time seen by this task: the clock that closes silent series' windows. */
    private long observedTime;

    HostBatchProcessor(TopologySettings settings, Deserializer<MetricBatch> batches, ScoringMetrics metrics) {
        this.settings = settings;
        this.decoder = new MetricBatchDecoder(batches);
        this.admission = new SampleAdmission(settings, metrics);
        this.codec = new HostStateCodec(DetectorSettings.DEFAULT);
        this.alerts = new AlertFactory(settings.alerts());
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.stores = new HostStores(context, codec, metrics);
        this.output = new ProcessorOutput(context, metrics);
        this.rollups = new RollupWindows(settings, metrics, output, new ExhaustionWatch(settings, alerts, output));
        context.schedule(settings.closeCheckEvery(), PunctuationType.WALL_CLOCK_TIME, this::closeDueWindows);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        MetricBatchDecoder.Result decoded;
        try {
            decoded = decoder.decode(ScoringTopology.topicOf(context), record.key(), record.value());
        } catch (SchemaRegistryException e) {
            // The registry, not the record, is at fault: fail the thread, which is replaced and reads the batch
            // again from the last commit (exactly once), instead of dead-lettering good data.
            metrics.registryUnavailable.increment();
            throw e;
        }
        if (decoded instanceof MetricBatchDecoder.Refused refused) {
            output.deadLetter(record, refused.reason(), refused.message());
            return;
        }
        MetricBatch batch = ((MetricBatchDecoder.Decoded) decoded).batch();
        metrics.batches.increment();
        long recordTime = record.timestamp();
        String hostId = batch.getHostId();
        output.reported(hostId, recordTime, batch); // alive, whatever becomes of its samples
        DailyProfilePages profiles = stores.profilesOf(hostId);
        HostState host = stores.load(hostId, profiles);
        host.hostLabels(batch.getHostLabels());
        List<SeriesState> opened = new ArrayList<>();
        List<AnomalyScore> scores = new ArrayList<>(batch.getSamples().size());
        List<SampleAdmission.Refusal> refusals = admission.admit(batch, host, profiles, context.currentSystemTimeMs(),
                (series, time, value) -> {
                    scores.add(score(recordTime, hostId, host, series, time, value, opened));
                    observedTime = Math.max(observedTime, time);
                });
        if (!scores.isEmpty()) {
            output.scores(hostId, recordTime, new ScoreBatch(hostId, scores));
        }
        moveHostAlert(recordTime, hostId, host, opened, batch.getCollectedAt().toEpochMilli());
        stores.save(hostId, host, profiles);
        for (SampleAdmission.Refusal refusal : refusals) {
            output.deadLetter(record, refusal.reason(), refusal.message());
        }
    }

    /** Scores one sample and moves its series' rollups and alert along; returns the score, for the batch's {@link ScoreBatch}. */
    private AnomalyScore score(long recordTime, String hostId, HostState host, SeriesState series, long time, double value,
                               List<SeriesState> opened) {
        dev.vigil.detection.AnomalyScore score = series.detector().update(time, value);
        series.recordScored(time, value, score);
        metrics.samplesScored.increment();
        AnomalyScore scored = OutputRecords.score(hostId, series, time, value, score, settings.alerts().isAnomalous(score.score()));
        rollups.add(recordTime, hostId, host, series, time, value, observedTime);
        SeriesAlert.Transition transition = series.observeAlert(settings.alerts());
        switch (transition) {
            case OPENED -> opened.add(series); // announced after the host-level check, which may absorb it
            case UPDATED -> output.alert(hostId, recordTime, alerts.seriesAlert(hostId, host, series, AlertEvent.UPDATED, time));
            case RESOLVED -> output.alert(hostId, recordTime, alerts.seriesAlert(hostId, host, series, AlertEvent.RESOLVED, time));
            case NONE -> { }
        }
        return scored;
    }

    /**
     * Many series of one host going anomalous together is one incident: a host alert with the series as
     * evidence, instead of a storm of series alerts ({@link HostAlertGrouping} decides; this sends what it decided).
     */
    private void moveHostAlert(long recordTime, String hostId, HostState host, List<SeriesState> opened, long time) {
        List<SeriesState> alerting = host.alertingSeries();
        HostAlertGrouping.Outcome outcome = HostAlertGrouping.afterBatch(host.hostAlert(), alerting, opened, SeriesState::alert,
                time, settings.alerts());
        if (outcome.openedAnnounced()) {
            for (SeriesState series : opened) {
                output.alert(hostId, recordTime, alerts.seriesAlert(hostId, host, series, AlertEvent.OPENED, series.lastTimestamp()));
            }
        }
        Alert hostAlert = switch (outcome.hostAlert()) {
            case OPENED -> alerts.hostAlert(hostId, host, alerting, AlertEvent.OPENED, time);
            case UPDATED -> alerts.hostAlert(hostId, host, alerting, AlertEvent.UPDATED, time);
            case RESOLVED -> alerts.hostAlert(hostId, host, alerting, AlertEvent.RESOLVED, time);
            case NONE -> null;
        };
        if (hostAlert != null) {
            output.alert(hostId, recordTime, hostAlert);
        }
    }

    /** Emits the windows of series that fell silent, once the task's clock is past their end plus the grace. */
    private void closeDueWindows(long wallClock) {
        long dueBy = observedTime - settings.rollupGrace().toMillis();
        if (dueBy <= 0) {
            return;
        }
        for (String hostId : stores.hostsWithWindowsEndingBy(dueBy, MAX_CLOSES_PER_CHECK)) {
            DailyProfilePages profiles = stores.profilesOf(hostId);
            HostState host = stores.load(hostId, profiles);
            rollups.closeDue(wallClock, hostId, host, dueBy);
            stores.save(hostId, host, profiles);
        }
    }
}
