package dev.vigil.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.RollupResolution;
import dev.vigil.avro.Sample;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.schemas.serde.InvalidPayloadException;
import dev.vigil.streams.alerts.HostAlertGrouping;
import dev.vigil.streams.alerts.SeriesAlert;
import dev.vigil.streams.state.DailyProfilePages;
import dev.vigil.streams.state.Fingerprints;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.HostStateCodec;
import dev.vigil.streams.state.SeriesKey;
import dev.vigil.streams.state.SeriesState;
import dev.vigil.streams.state.WindowAccumulator;

/**
 * Takes in one host's {@link MetricBatch} at a time: scores every sample against its series' detector,
 * fills the series' one-minute and one-hour rollup windows, issues forecasts, and moves the series' and
 * the host's alerts along. Everything it knows about a host is one value in {@link ScoringTopology#HOST_STATE_STORE},
 * except the detectors' daily profiles, which are paged by slot of the day in {@link ScoringTopology#DAILY_PROFILE_STORE}.
 *
 * <p>It reads raw bytes and decodes them itself, so that a record it cannot decode becomes a dead letter
 * (with the original bytes and the reason) inside the same exactly-once transaction, instead of an
 * exception that stops the application.
 */
final class HostBatchProcessor implements Processor<String, byte[], String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(HostBatchProcessor.class);
    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;
    private static final int MAX_METRIC_NAME = 255;
    private static final int MAX_LABELS = 32;
    private static final int MAX_LABEL_CHARS = 1024;
    private static final int MAX_PROBLEMS_NAMED = 5;
    /** Close-index entries handled per punctuation, so one punctuation never stalls the stream thread for long. */
    private static final int MAX_CLOSES_PER_CHECK = 10_000;

    private final TopologySettings settings;
    private final Deserializer<MetricBatch> batches;
    private final HostStateCodec codec;
    private final AlertFactory alerts;
    private final ScoringMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> hosts;
    private KeyValueStore<Bytes, byte[]> closeIndex;
    private KeyValueStore<Bytes, byte[]> dailyProfiles;
    /** Newest sample time seen by this task: the clock that closes silent series' windows. */
    private long observedTime;

    HostBatchProcessor(TopologySettings settings, Deserializer<MetricBatch> batches, ScoringMetrics metrics) {
        this.settings = settings;
        this.batches = batches;
        this.codec = new HostStateCodec(DetectorSettings.DEFAULT);
        this.alerts = new AlertFactory(settings.alerts());
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.hosts = context.getStateStore(ScoringTopology.HOST_STATE_STORE);
        this.closeIndex = context.getStateStore(ScoringTopology.CLOSE_INDEX_STORE);
        this.dailyProfiles = context.getStateStore(ScoringTopology.DAILY_PROFILE_STORE);
        context.schedule(settings.closeCheckEvery(), PunctuationType.WALL_CLOCK_TIME, now -> closeDueWindows(now));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        MetricBatch batch = decode(record);
        if (batch == null) {
            return;
        }
        metrics.batches.increment();
        String hostId = batch.getHostId();
        DailyProfilePages profiles = profilesOf(hostId);
        HostState host = load(hostId, profiles);
        host.hostLabels(batch.getHostLabels());
        List<String> problems = new ArrayList<>();
        List<SeriesState> opened = new ArrayList<>();
        List<AnomalyScore> scores = new ArrayList<>(batch.getSamples().size());
        long batchTime = batch.getCollectedAt().toEpochMilli();
        long latestAllowed = context.currentSystemTimeMs() + settings.maxClockSkew().toMillis();
        int refused = 0;
        int ahead = 0;
        long mostAhead = 0;
        for (int i = 0; i < batch.getSamples().size(); i++) {
            Sample sample = batch.getSamples().get(i);
            long time = sample.getObservedAt() != null ? sample.getObservedAt().toEpochMilli() : batchTime;
            String problem = validate(sample, time);
            if (problem != null) {
                metrics.samplesInvalid.increment();
                problems.add("sample " + i + " (" + sample.getName() + "): " + problem);
                continue;
            }
            if (time > latestAllowed) {
                metrics.samplesAhead.increment();
                ahead++;
                mostAhead = Math.max(mostAhead, time - latestAllowed + settings.maxClockSkew().toMillis());
                continue;
            }
            SeriesState series = host.series(SeriesKey.lookup(sample.getName(), sample.getLabels()));
            if (series == null) {
                if (host.seriesCount() >= settings.maxSeriesPerHost()) {
                    metrics.seriesRefused.increment();
                    refused++;
                    continue;
                }
                SeriesKey key = SeriesKey.of(sample.getName(), sample.getLabels());
                series = host.addSeries(key, Fingerprints.series(hostId, key.metric(), key.labels()),
                        index -> new AnomalyDetector(DetectorSettings.DEFAULT, profiles.forSeries(index)));
            }
            if (time <= series.lastTimestamp()) {
                metrics.samplesOutOfOrder.increment();
                continue;
            }
            scores.add(score(record, hostId, host, series, time, sample.getValue(), opened));
            observedTime = Math.max(observedTime, time);
        }
        int invalid = problems.size();
        if (refused > 0) {
            problems.add(refused + " samples of new series refused: host already has " + host.seriesCount()
                    + " series (max.series.per.host)");
        }
        if (ahead > 0) {
            problems.add(ahead + " samples stamped up to " + Duration.ofMillis(mostAhead).truncatedTo(ChronoUnit.SECONDS)
                    + " ahead of this application's clock (max.clock.skew " + settings.maxClockSkew() + "): is the host's clock right?");
        }
        if (!scores.isEmpty()) {
            forward(record, ScoringTopology.SCORES_SINK, new ScoreBatch(hostId, scores));
        }
        moveHostAlert(record, hostId, host, opened, batchTime);
        save(hostId, host, profiles);
        if (!problems.isEmpty()) {
            String reason = problems.size() > 1 ? "INVALID_SAMPLE" : refused > 0 ? "TOO_MANY_SERIES" : ahead > 0 ? "CLOCK_SKEW" : "INVALID_SAMPLE";
            deadLetter(record, reason,
                    (invalid + refused + ahead) + " of " + batch.getSamples().size() + " samples of host " + hostId + " refused: "
                            + String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS_NAMED, problems.size())))
                            + (problems.size() > MAX_PROBLEMS_NAMED ? "; ..." : ""));
        }
    }

    /** Scores one sample and moves its series' rollups and alert along; returns the score, for the batch's {@link ScoreBatch}. */
    private AnomalyScore score(Record<String, byte[]> record, String hostId, HostState host, SeriesState series, long time,
                               double value, List<SeriesState> opened) {
        dev.vigil.detection.AnomalyScore score = series.detector().update(time, value);
        series.recordScored(time, value, score);
        metrics.samplesScored.increment();
        // Every field is set, none left to the builder's defaults (a lookup per field on the hot path); a score
        // without a reason carries nulls: five bytes on the wire instead of forty.
        boolean hasReason = score.reason() != dev.vigil.detection.AnomalyReason.NONE;
        AnomalyScore scored = AnomalyScore.newBuilder()
                .setHostId(hostId)
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setSeriesId(series.seriesId())
                .setTimestamp(Instant.ofEpochMilli(time))
                .setValue(value)
                .setExpected(score.expected())
                .setLower(score.lower())
                .setUpper(score.upper())
                .setScore(score.score())
                .setLearning(score.learning())
                .setReason(Reasons.toAvro(score.reason()))
                .setReasonObserved(hasReason ? score.observed() : null)
                .setReasonUsualLow(hasReason ? score.usualLow() : null)
                .setReasonUsualHigh(hasReason ? score.usualHigh() : null)
                .setReasonBasisDays(hasReason ? score.basis() : null)
                .build();
        addToRollups(record, hostId, series, time, value);
        SeriesAlert.Transition transition = series.observeAlert(settings.alerts());
        switch (transition) {
            case OPENED -> opened.add(series); // announced after the host-level check, which may absorb it
            case UPDATED -> emitAlert(record, alerts.seriesAlert(hostId, host, series, AlertEvent.UPDATED, time));
            case RESOLVED -> emitAlert(record, alerts.seriesAlert(hostId, host, series, AlertEvent.RESOLVED, time));
            case NONE -> { }
        }
        return scored;
    }

    /**
     * Many series of one host going anomalous together is one incident: a host alert with the series as
     * evidence, instead of a storm of series alerts ({@link HostAlertGrouping} decides; this sends what it decided).
     */
    private void moveHostAlert(Record<String, byte[]> record, String hostId, HostState host, List<SeriesState> opened, long time) {
        List<SeriesState> alerting = host.alertingSeries();
        HostAlertGrouping.Outcome outcome = HostAlertGrouping.afterBatch(host.hostAlert(), alerting, opened, SeriesState::alert,
                time, settings.alerts());
        if (outcome.openedAnnounced()) {
            for (SeriesState series : opened) {
                emitAlert(record, alerts.seriesAlert(hostId, host, series, AlertEvent.OPENED, series.lastTimestamp()));
            }
        }
        switch (outcome.hostAlert()) {
            case OPENED -> emitAlert(record, alerts.hostAlert(hostId, host, alerting, AlertEvent.OPENED, time));
            case UPDATED -> emitAlert(record, alerts.hostAlert(hostId, host, alerting, AlertEvent.UPDATED, time));
            case RESOLVED -> emitAlert(record, alerts.hostAlert(hostId, host, alerting, AlertEvent.RESOLVED, time));
            case NONE -> { }
        }
    }

    private void emitAlert(Record<String, byte[]> record, dev.vigil.avro.Alert alert) {
        metrics.alert(alert.getEvent().name(), alert.getScope().name());
        forward(record, ScoringTopology.ALERTS_SINK, alert);
    }

    /**
     * A series' samples only move forward in time, so when one lands in a later window the series' previous
     * window can never receive more: it is emitted at once. A series that falls silent has its window
     * emitted by {@link #closeDueWindows} once the task's clock passes the window's end plus the grace.
     */
    private void addToRollups(Record<String, byte[]> record, String hostId, SeriesState series, long time, double value) {
        WindowAccumulator minute = series.minute();
        long minuteStart = time - Math.floorMod(time, MINUTE);
        if (minute != null && minute.windowStart() != minuteStart) {
            emitRollup(record.timestamp(), hostId, series, minute, RollupResolution.MINUTE);
            minute = null;
        }
        WindowAccumulator hour = series.hour();
        long hourStart = time - Math.floorMod(time, HOUR);
        if (hour != null && hour.windowStart() != hourStart) {
            emitRollup(record.timestamp(), hostId, series, hour, RollupResolution.HOUR);
            hour = null;
        }
        long grace = settings.rollupGrace().toMillis();
        if (minute == null && minuteStart + MINUTE + grace <= observedTime) {
            metrics.samplesLateForRollups.increment();
        } else {
            if (minute == null) {
                minute = WindowAccumulator.startingAt(minuteStart);
            }
            minute.add(value);
        }
        if (hour == null && hourStart + HOUR + grace > observedTime) {
            hour = WindowAccumulator.startingAt(hourStart);
        }
        if (hour != null) {
            hour.add(value);
        }
        series.minute(minute);
        series.hour(hour);
    }

    private void emitRollup(long recordTime, String hostId, SeriesState series, WindowAccumulator window, RollupResolution resolution) {
        long size = resolution == RollupResolution.MINUTE ? MINUTE : HOUR;
        forward(recordTime, ScoringTopology.ROLLUPS_SINK, hostId, Rollup.newBuilder()
                .setHostId(hostId)
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setSeriesId(series.seriesId())
                .setResolution(resolution)
                .setWindowStart(Instant.ofEpochMilli(window.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(window.windowStart() + size))
                .setCount(window.count())
                .setMin(window.min())
                .setMax(window.max())
                .setMean(window.mean())
                .setLast(window.last())
                .setP95(window.p95())
                .build());
        if (resolution == RollupResolution.MINUTE) {
            emitForecast(recordTime, hostId, series);
        }
    }

    /** One forecast per series per minute, issued when its minute window closes. */
    private void emitForecast(long recordTime, String hostId, SeriesState series) {
        long issuedAt = series.lastTimestamp();
        long target = issuedAt + settings.forecastHorizon().toMillis();
        dev.vigil.detection.Prediction forecast = series.detector().forecast(target);
        forward(recordTime, ScoringTopology.FORECASTS_SINK, hostId, Forecast.newBuilder()
                .setHostId(hostId)
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setSeriesId(series.seriesId())
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .setTargetTime(Instant.ofEpochMilli(target))
                .setExpected(forecast.expected())
                .setLower(forecast.lower())
                .setUpper(forecast.upper())
                .build());
    }

    /** Emits the windows of series that fell silent, once the task's clock is past their end plus the grace. */
    private void closeDueWindows(long wallClock) {
        long grace = settings.rollupGrace().toMillis();
        long dueBy = observedTime - grace;
        if (dueBy <= 0) {
            return;
        }
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = closeIndex.range(closeKey(0, ""), closeKeyUpperBound(dueBy))) {
            while (entries.hasNext() && due.size() < MAX_CLOSES_PER_CHECK) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                byte[] key = entry.key.get();
                due.add(new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8));
            }
        }
        for (String hostId : due) {
            DailyProfilePages profiles = profilesOf(hostId);
            HostState host = load(hostId, profiles);
            for (SeriesState series : host.allSeries()) {
                if (series.minute() != null && series.minute().windowStart() + MINUTE <= dueBy) {
                    emitRollup(wallClock, hostId, series, series.minute(), RollupResolution.MINUTE);
                    series.minute(null);
                }
                if (series.hour() != null && series.hour().windowStart() + HOUR <= dueBy) {
                    emitRollup(wallClock, hostId, series, series.hour(), RollupResolution.HOUR);
                    series.hour(null);
                }
            }
            save(hostId, host, profiles);
        }
    }

    private HostState load(String hostId, DailyProfilePages profiles) {
        byte[] bytes = hosts.get(hostId);
        if (bytes == null) {
            return HostState.empty();
        }
        try {
            return codec.decode(bytes, profiles);
        } catch (IllegalArgumentException e) {
            // Only a bug or a foreign writer can cause this; carrying on with a fresh state loses what the
            // detectors learned about this host but keeps the pipeline running. Loud on purpose.
            metrics.stateUnreadable.increment();
            log.error("State of host {} is unreadable ({}); starting it afresh", hostId, e.getMessage());
            for (int slot = 0; slot < DailyProfilePages.PAGES; slot++) {
                dailyProfiles.delete(profileKey(hostId, slot)); // the new series would inherit old profiles
            }
            return HostState.empty();
        }
    }

    private DailyProfilePages profilesOf(String hostId) {
        return new DailyProfilePages(new DailyProfilePages.Source() {
            @Override
            public byte[] get(int slot) {
                return dailyProfiles.get(profileKey(hostId, slot));
            }

            @Override
            public void put(int slot, byte[] page) {
                dailyProfiles.put(profileKey(hostId, slot), page);
            }
        });
    }

    /** Host id then the slot in two bytes; the key's length tells where the host id ends. */
    static Bytes profileKey(String hostId, int slot) {
        byte[] host = hostId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(host.length + Short.BYTES).put(host).putShort((short) slot).array());
    }

    /** Writes the host back and keeps its entry in the close index at its earliest open window's end. */
    private void save(String hostId, HostState host, DailyProfilePages profiles) {
        profiles.flush();
        long earliest = host.earliestWindowEnd(MINUTE, HOUR);
        long indexed = host.closeIndexedAt();
        if (earliest != indexed) {
            if (indexed != 0) {
                closeIndex.delete(closeKey(indexed, hostId));
            }
            if (earliest != Long.MAX_VALUE) {
                closeIndex.put(closeKey(earliest, hostId), new byte[0]);
            }
            host.closeIndexedAt(earliest == Long.MAX_VALUE ? 0 : earliest);
        }
        hosts.put(hostId, codec.encode(host));
    }

    /** Window end first, big-endian, so a range scan returns the hosts whose windows are due, oldest first. */
    static Bytes closeKey(long windowEnd, String hostId) {
        byte[] host = hostId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + host.length).putLong(windowEnd).put(host).array());
    }

    private static Bytes closeKeyUpperBound(long windowEnd) {
        // Host ids are printable ASCII, so 0xFF after the time sorts above every host id at that time.
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + 1).putLong(windowEnd).put((byte) 0xFF).array());
    }

    private MetricBatch decode(Record<String, byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            deadLetter(record, InvalidPayloadException.Reason.EMPTY.name(), "record has no value");
            return null;
        }
        MetricBatch batch;
        try {
            batch = batches.deserialize(ScoringTopology.topicOf(context), record.value());
        } catch (InvalidPayloadException e) {
            deadLetter(record, e.reason().name(), e.getMessage());
            return null;
        } catch (SchemaRegistryException e) {
            // The registry, not the record, is at fault: fail the thread, which is replaced and reads the batch
            // again from the last commit (exactly once), instead of dead-lettering good data.
            metrics.registryUnavailable.increment();
            throw e;
        } catch (RuntimeException e) {
            deadLetter(record, "UNDECODABLE", "cannot decode a MetricBatch: " + e);
            return null;
        }
        if (batch.getHostId().isBlank()) {
            deadLetter(record, "INVALID_BATCH", "hostId is blank");
            return null;
        }
        if (!batch.getHostId().equals(record.key())) {
            // A batch keyed otherwise may sit on another partition than its host's state: refuse it rather
            // than split a host's state across tasks.
            deadLetter(record, "KEY_MISMATCH", "record key " + (record.key() == null ? "null" : "'" + record.key() + "'")
                    + " is not the batch's hostId '" + batch.getHostId() + "'");
            return null;
        }
        if (batch.getCollectedAt().toEpochMilli() <= 0) {
            deadLetter(record, "INVALID_BATCH", "collectedAt " + batch.getCollectedAt() + " is not after 1970");
            return null;
        }
        return batch;
    }

    /** What is wrong with the sample, or null if nothing is. */
    private static String validate(Sample sample, long time) {
        if (!isMetricName(sample.getName())) {
            return "name '" + abbreviate(sample.getName()) + "' is not a metric name (a letter, then up to 254 letters, digits or _ . : / -)";
        }
        if (!Double.isFinite(sample.getValue())) {
            return "value " + sample.getValue() + " is not finite";
        }
        if (time <= 0) {
            return "time " + time + " is not after 1970";
        }
        Map<String, String> labels = sample.getLabels();
        if (labels.size() > MAX_LABELS) {
            return labels.size() + " labels, at most " + MAX_LABELS + " allowed";
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().isEmpty() || label.getKey().length() > MAX_LABEL_CHARS || label.getValue().length() > MAX_LABEL_CHARS) {
                return "label '" + abbreviate(label.getKey()) + "' has an empty name or a name or value over " + MAX_LABEL_CHARS + " characters";
            }
        }
        return null;
    }

    /** A letter, then up to 254 letters, digits or {@code _ . : / -}: as a loop, it runs for every sample. */
    static boolean isMetricName(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_METRIC_NAME || !isAsciiLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = name.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '/' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }

    private void deadLetter(Record<String, byte[]> record, String reason, String message) {
        metrics.deadLetter(reason);
        RecordMetadata source = context.recordMetadata().orElse(null);
        String topic = source == null ? "unknown" : source.topic();
        log.warn("Dead letter from {}-{}@{}: {}: {}", topic, source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(), reason, message);
        forward(record.timestamp(), ScoringTopology.DEAD_LETTERS_SINK, topic, DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(source == null ? -1 : source.partition())
                .setSourceOffset(source == null ? -1 : source.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setStage("streams")
                .setReason(reason)
                .setMessage(message)
                .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build());
    }

    private void forward(Record<String, byte[]> cause, String sink, SpecificRecord value) {
        forward(cause.timestamp(), sink, cause.key(), value);
    }

    private void forward(long timestamp, String sink, String key, SpecificRecord value) {
        context.forward(new Record<>(key, value, timestamp), sink);
    }
}
