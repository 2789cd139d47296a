package dev.vigil.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.streams.state.HostReport;

/**
 * Raises HOST_SILENT for a host that stops reporting: a host whose last batch is {@code host.silence.after} old on the
 * application's clock opens one, the host's next batch resolves it, and a host retired on purpose
 * ({@code vigil.hosts.retired}) is let go instead (an open alert of its resolves). It gets every decoded batch from
 * {@link HostBatchProcessor}, keyed by host like the input.
 *
 * <p>A wall-clock punctuation reads only the hosts that are due, from the host-silence index (the time to look at a
 * host again, then the host), never every host. A host's report is kept in memory and written to its store only when
 * the host is looked at (about once per {@code host.silence.after}), when its alert opens or resolves, and when its
 * labels change, rather than once per batch. Silence is counted from this task's start at the earliest: while the
 * application was down or restoring, no report could be seen, which says nothing about the host.
 */
final class HostSilenceWatcher implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(HostSilenceWatcher.class);
    /** Hosts looked at per punctuation, so one punctuation never stalls the stream thread for long. */
    private static final int MAX_HOSTS_PER_CHECK = 10_000;

    private final Duration after;
    private final long afterMillis;
    private final long heartbeatMillis;
    private final AlertFactory alerts;
    private final Deserializer<HostRetirement> retirements;
    private final ScoringMetrics metrics;
    /** The hosts reported since this task started: when, with which labels, and whether their alert is open. */
    private final Map<String, Seen> seen = new HashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, byte[]> reports;
    private TimeIndex index;
    private KeyValueStore<String, byte[]> retired;
    /** When this task first processed or punctuated (its clock is not set yet in {@link #init}); 0 before. */
    private long watchingSince;

    private record Seen(long at, Map<String, String> labels, boolean alertOpen) {
    }

    HostSilenceWatcher(TopologySettings settings, Deserializer<HostRetirement> retirements, ScoringMetrics metrics) {
        this.after = settings.hostSilenceAfter();
        this.afterMillis = after.toMillis();
        this.heartbeatMillis = Math.max(settings.alerts().updateEvery().toMillis(), checkEvery(after).toMillis());
        this.alerts = new AlertFactory(settings.alerts());
        this.retirements = retirements;
        this.metrics = metrics;
    }

    /** How often the index is read: a tenth of {@code host.silence.after}, between 1 s and 30 s. */
    static Duration checkEvery(Duration after) {
        long tenth = after.toMillis() / 10;
        return Duration.ofMillis(Math.max(1_000, Math.min(30_000, tenth)));
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.reports = context.getStateStore(ScoringTopology.HOST_REPORTS_STORE);
        this.index = new TimeIndex(context.getStateStore(ScoringTopology.HOST_SILENCE_INDEX_STORE));
        this.retired = context.getStateStore(ScoringTopology.RETIRED_HOSTS_STORE);
        if (afterMillis > 0) {
            context.schedule(checkEvery(after), PunctuationType.WALL_CLOCK_TIME, this::lookAtDueHosts);
        }
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (afterMillis == 0) {
            return;
        }
        String hostId = record.key();
        Map<String, String> labels = ((MetricBatch) record.value()).getHostLabels();
        long now = context.currentSystemTimeMs();
        startWatching(now);
        Seen before = seen.put(hostId, new Seen(now, labels, false));
        if (before != null && !before.alertOpen() && before.labels().equals(labels)) {
            return; // the usual case: nothing to write
        }
        HostReport report = load(hostId);
        if (report == null) {
            save(hostId, reindex(hostId, new HostReport(now, 0, 0, 0, labels), now + afterMillis));
        } else if (report.alertOpen()) {
            emit(hostId, alerts.hostSilentAlert(hostId, labels, AlertEvent.RESOLVED, report.silentSince(), now, after, "reports again"));
            save(hostId, reindex(hostId, report.withAlert(0, 0).withLastReport(now, labels), now + afterMillis));
        } else if (!report.hostLabels().equals(labels)) {
            save(hostId, report.withLastReport(now, labels));
        }
    }

    private void startWatching(long now) {
        if (watchingSince == 0) {
            watchingSince = now;
        }
    }

    private void lookAtDueHosts(long now) {
        startWatching(now);
        for (TimeIndex.Entry due : index.dueBy(now, MAX_HOSTS_PER_CHECK)) {
            String hostId = due.hostId();
            HostReport report = load(hostId);
            if (report == null || report.indexedAt() != due.time()) {
                index.delete(due.time(), hostId); // left over from a report that could not be read
                continue;
            }
            Seen inMemory = seen.get(hostId);
            long lastReport = Math.max(Math.max(report.lastReport(), inMemory == null ? 0 : inMemory.at()), watchingSince);
            Map<String, String> labels = inMemory == null ? report.hostLabels() : inMemory.labels();
            HostRetirement retirement = retirement(hostId);
            if (retirement != null) {
                forget(hostId, report);
                if (report.alertOpen()) {
                    emit(hostId, alerts.hostSilentAlert(hostId, labels, AlertEvent.RESOLVED, report.silentSince(), now, after,
                            "retired by " + retirement.getAuthor() + (retirement.getReason().isBlank() ? "" : " (" + retirement.getReason() + ")")));
                }
            } else if (report.alertOpen()) {
                if (now - report.lastAlertEvent() >= heartbeatMillis) {
                    emit(hostId, alerts.hostSilentAlert(hostId, labels, AlertEvent.UPDATED, report.silentSince(), now, after, ""));
                    report = report.withAlert(report.silentSince(), now);
                }
                save(hostId, reindex(hostId, report, now + Math.min(afterMillis, heartbeatMillis)));
            } else if (now - lastReport >= afterMillis) {
                emit(hostId, alerts.hostSilentAlert(hostId, labels, AlertEvent.OPENED, lastReport, now, after, ""));
                seen.put(hostId, new Seen(lastReport, labels, true));
                save(hostId, reindex(hostId, report.withLastReport(lastReport, labels).withAlert(lastReport, now), now + afterMillis));
            } else {
                save(hostId, reindex(hostId, report.withLastReport(lastReport, labels), lastReport + afterMillis));
            }
        }
    }

    /** The host's retirement if it is retired now, else null. */
    private HostRetirement retirement(String hostId) {
        byte[] bytes = retired.get(hostId);
        if (bytes == null) {
            return null;
        }
        try {
            HostRetirement retirement = retirements.deserialize(Topics.RETIRED_HOSTS.name(), bytes);
            return retirement.getRetired() ? retirement : null;
        } catch (SchemaRegistryException e) {
            metrics.registryUnavailable.increment();
            throw e; // the thread is replaced and looks again, as for a metric batch
        } catch (RuntimeException e) {
            metrics.retirementsInvalid.increment();
            log.warn("The retirement of host {} on {} cannot be decoded ({}); the host counts as not retired", hostId,
                    Topics.RETIRED_HOSTS.name(), e.getMessage());
            return null;
        }
    }

    /** A retired host is let go of: should it report again, it is watched as a host never seen. */
    private void forget(String hostId, HostReport report) {
        index.delete(report.indexedAt(), hostId);
        reports.delete(hostId);
        seen.remove(hostId);
    }

    private HostReport reindex(String hostId, HostReport report, long at) {
        if (report.indexedAt() != 0) {
            index.delete(report.indexedAt(), hostId);
        }
        index.put(at, hostId);
        return report.withIndexedAt(at);
    }

    private HostReport load(String hostId) {
        byte[] bytes = reports.get(hostId);
        if (bytes == null) {
            return null;
        }
        try {
            return HostReport.decode(bytes);
        } catch (IllegalArgumentException e) {
            // Only a bug or a foreign writer can cause this: the host is watched afresh from now.
            metrics.stateUnreadable.increment();
            log.error("Report of host {} is unreadable ({}); watching it afresh", hostId, e.getMessage());
            return null;
        }
    }

    private void save(String hostId, HostReport report) {
        reports.put(hostId, report.encode());
    }

    private void emit(String hostId, Alert alert) {
        if (alert.getEvent() == AlertEvent.OPENED) {
            log.info("Host {} has not reported for {}: HOST_SILENT", hostId, after);
        }
        context.forward(new Record<>(hostId, alert, context.currentSystemTimeMs()), ScoringTopology.MARK_SILENCED);
    }
}
