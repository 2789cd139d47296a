package dev.vigil.streams;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertEvidence;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.Exhaustion;
import dev.vigil.avro.Severity;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.ReasonText;
import dev.vigil.prediction.BoundedMetric;
import dev.vigil.prediction.ExhaustionForecaster;
import dev.vigil.prediction.PredictedAlert;
import dev.vigil.prediction.SeriesPrediction;
import dev.vigil.streams.alerts.AlertPolicy;
import dev.vigil.streams.state.Fingerprints;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.ScoredSample;
import dev.vigil.streams.state.SeriesState;

/**
 * Builds the alert events consumers see, with what a person on call needs to act on them: above all which of the
 * detector's tests fired, in plain words ({@link ReasonText}), and the numbers behind it.
 */
final class AlertFactory {

    /** A PREDICTED alert whose ceiling is expected within this long is CRITICAL, else WARNING. */
    static final Duration CRITICAL_WITHIN = Duration.ofHours(1);
    /** Series a host alert's summary names, worst first. */
    private static final int MAX_SERIES_NAMED = 5;

    private final AlertPolicy policy;

    AlertFactory(AlertPolicy policy) {
        this.policy = policy;
    }

    Alert seriesAlert(String hostId, HostState host, SeriesState series, AlertEvent event, long time) {
        AnomalyScore score = series.lastScore();
        long started = series.alert().openedAt();
        String summary = "%s on %s: %s; anomalous since %s (%s)%s".formatted(series.key(), hostId, why(series),
                Instant.ofEpochMilli(started), duration(time - started),
                event == AlertEvent.RESOLVED ? ", resolved" : series.alert().isFlapping(policy) ? ", flapping" : "");
        ScoredSample peak = reasoned(series);
        return Reasons.withReason(seriesEvent(hostId, host, series, series.seriesId(), started, event, time)
                .setSeverity(severity(series.alert().peak()))
                .setExpected(score.expected())
                .setLower(score.lower())
                .setUpper(score.upper())
                .setPeakScore(series.alert().peak())
                .setLastScore(series.alert().lastScore())
                .setEvidence(List.of(evidence(series)))
                .setSummary(summary)
                .setLinks(links(hostId, series.key().metric()))
                .build(), peak);
    }

    /**
     * A PREDICTED alert: the series is expected to reach its ceiling within the horizon. Its fingerprint is the series'
     * exhaustion's ({@link Fingerprints#exhaustion}), its scores 0 (no anomaly is claimed), its reason null; what it says is
     * in {@code exhaustion}, {@code reasonText} and {@code summary}. Never absorbed into a host alert.
     */
    Alert predictedAlert(String hostId, HostState host, SeriesState series, AlertEvent event, long time, Duration horizon) {
        SeriesPrediction prediction = series.prediction();
        PredictedAlert alert = prediction.alert();
        BoundedMetric bounded = prediction.metric();
        String subject = bounded.subject(series.key().labels());
        String when = ReasonText.exhaustion(bounded.full(), time, alert.at(), alert.earliest(), alert.latest());
        ExhaustionForecaster.Estimate estimate = prediction.forecaster().estimate(alert.ceiling());
        double level = estimate == null ? series.lastValue() : estimate.level();
        String reasonText = estimate == null ? when : ReasonText.trend(estimate.slopePerHour(), level, alert.ceiling()) + ": " + when;
        String summary = event == AlertEvent.RESOLVED ? ReasonText.exhaustionResolved(subject, hostId, bounded.full(), horizon.toMillis())
                : ReasonText.exhaustionSummary(subject, hostId, when);
        String fingerprint = Fingerprints.exhaustion(hostId, series.key().metric(), series.key().labels());
        long started = alert.openedAt();
        Exhaustion exhaustion = Exhaustion.newBuilder().setCeiling(alert.ceiling()).setAt(Instant.ofEpochMilli(alert.at()))
                .setEarliest(Instant.ofEpochMilli(alert.earliest())).setLatest(Instant.ofEpochMilli(alert.latest())).build();
        AlertEvidence evidence = AlertEvidence.newBuilder()
                .setSeriesId(series.seriesId())
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setValue(series.lastValue())
                .setExpected(level)
                .setLower(level)
                .setUpper(level)
                .setScore(0)
                .setSince(Instant.ofEpochMilli(started))
                .setReasonText(reasonText)
                .build();
        return seriesEvent(hostId, host, series, fingerprint, started, event, time)
                .setKind(AlertKind.PREDICTED)
                .setSeverity(alert.at() - time <= CRITICAL_WITHIN.toMillis() ? Severity.CRITICAL : Severity.WARNING)
                .setExpected(level)
                .setLower(level)
                .setUpper(level)
                .setPeakScore(0)
                .setLastScore(0)
                .setReasonText(reasonText)
                .setEvidence(List.of(evidence))
                .setSummary(summary)
                .setLinks(links(hostId, series.key().metric()))
                .setExhaustion(exhaustion)
                .build();
    }

    /** What every event of a series' incident carries: who, which series, which incident, when, and its latest value. */
    private static Alert.Builder seriesEvent(String hostId, HostState host, SeriesState series, String fingerprint, long started,
                                             AlertEvent event, long time) {
        return Alert.newBuilder()
                .setAlertId(fingerprint + "-" + started)
                .setFingerprint(fingerprint)
                .setEvent(event)
                .setScope(AlertScope.SERIES)
                .setHostId(hostId)
                .setHostLabels(host.hostLabels())
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setStartedAt(Instant.ofEpochMilli(started))
                .setEventTime(Instant.ofEpochMilli(time))
                .setResolvedAt(event == AlertEvent.RESOLVED ? Instant.ofEpochMilli(time) : null)
                .setValue(series.lastValue());
    }

    Alert hostAlert(String hostId, HostState host, List<SeriesState> evidence, AlertEvent event, long time) {
        long started = host.hostAlert().openedAt();
        List<SeriesState> worstFirst = new ArrayList<>(evidence);
        worstFirst.sort(Comparator.comparingDouble((SeriesState s) -> s.alert().peak()).reversed());
        SeriesState worst = worstFirst.isEmpty() ? null : worstFirst.get(0);
        String reasons = worstFirst.stream().limit(MAX_SERIES_NAMED).map(s -> s.key() + ": " + why(s)).collect(Collectors.joining("; "));
        String summary = event == AlertEvent.RESOLVED
                ? "%s: all series back to normal after %s".formatted(hostId, duration(time - started))
                : "%d series of %s anomalous together since %s (%s): %s%s".formatted(evidence.size(), hostId,
                        Instant.ofEpochMilli(started), duration(time - started), reasons, evidence.size() > MAX_SERIES_NAMED ? "; ..." : "");
        AnomalyScore score = worst == null ? null : worst.lastScore();
        ScoredSample peak = worst == null ? null : reasoned(worst);
        return Reasons.withReason(Alert.newBuilder()
                .setAlertId(Fingerprints.host(hostId) + "-" + started)
                .setFingerprint(Fingerprints.host(hostId))
                .setEvent(event)
                .setScope(AlertScope.HOST)
                .setSeverity(severity(host.hostAlert().peak()))
                .setHostId(hostId)
                .setHostLabels(host.hostLabels())
                .setMetric(null)
                .setLabels(Map.of())
                .setStartedAt(Instant.ofEpochMilli(started))
                .setEventTime(Instant.ofEpochMilli(time))
                .setResolvedAt(event == AlertEvent.RESOLVED ? Instant.ofEpochMilli(time) : null)
                .setValue(worst == null ? 0 : worst.lastValue())
                .setExpected(score == null ? 0 : score.expected())
                .setLower(score == null ? 0 : score.lower())
                .setUpper(score == null ? 0 : score.upper())
                .setPeakScore(host.hostAlert().peak())
                .setLastScore(worst == null ? 0 : worst.alert().lastScore())
                .setEvidence(worstFirst.stream().map(AlertFactory::evidence).toList())
                .setSummary(summary)
                .setLinks(links(hostId, null))
                .build(), peak, reasons);
    }

    /**
     * A HOST_SILENT event: the host has not reported since {@code silentSince}. Its times are the application's clock
     * (there is no sample to take them from); its value is the seconds without a report, against {@code after} as the
     * upper bound of the expected band.
     *
     * @param why what the summary says after the host and its silence: the reason of a RESOLVED event, say
     */
    Alert hostSilentAlert(String hostId, Map<String, String> hostLabels, AlertEvent event, long silentSince, long now, Duration after,
                          String why) {
        String fingerprint = Fingerprints.hostSilent(hostId);
        String silence = "no report for %s (host.silence.after %s)".formatted(duration(now - silentSince), duration(after.toMillis()));
        String summary = event == AlertEvent.RESOLVED
                ? "%s: %s after %s without a report".formatted(hostId, why, duration(now - silentSince))
                : "%s has not reported since %s: %s".formatted(hostId, Instant.ofEpochMilli(silentSince), silence);
        boolean open = event != AlertEvent.RESOLVED;
        return Alert.newBuilder()
                .setAlertId(fingerprint + "-" + silentSince)
                .setFingerprint(fingerprint)
                .setEvent(event)
                .setScope(AlertScope.HOST)
                .setKind(AlertKind.HOST_SILENT)
                .setSeverity(Severity.CRITICAL)
                .setHostId(hostId)
                .setHostLabels(hostLabels)
                .setMetric(null)
                .setLabels(Map.of())
                .setStartedAt(Instant.ofEpochMilli(silentSince))
                .setEventTime(Instant.ofEpochMilli(now))
                .setResolvedAt(open ? null : Instant.ofEpochMilli(now))
                .setValue((now - silentSince) / 1000.0)
                .setExpected(0)
                .setLower(0)
                .setUpper(after.toMillis() / 1000.0)
                .setPeakScore(1)
                .setLastScore(open ? 1 : 0)
                .setReasonText(open ? silence : "")
                .setEvidence(List.of())
                .setSummary(summary)
                .setLinks(links(hostId, null))
                .build();
    }

    private static AlertEvidence evidence(SeriesState series) {
        AnomalyScore score = series.lastScore();
        ScoredSample peak = reasoned(series);
        return Reasons.withReason(AlertEvidence.newBuilder()
                .setSeriesId(series.seriesId())
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setValue(series.lastValue())
                .setExpected(score.expected())
                .setLower(score.lower())
                .setUpper(score.upper())
                .setScore(score.score())
                .setSince(Instant.ofEpochMilli(series.alert().openedAt()))
                .build(), peak);
    }

    /** The sample behind the series' alert if its reason is known, else null. */
    private static ScoredSample reasoned(SeriesState series) {
        ScoredSample peak = series.peak();
        return peak != null && peak.hasReason() ? peak : null;
    }

    /**
     * Why the series' alert opened, in plain words: the reason of its highest score since. Never the latest value
     * against its band alone, which may well be inside it by now and would read as if that were the anomaly.
     */
    private static String why(SeriesState series) {
        ScoredSample peak = reasoned(series);
        return peak != null ? peak.why()
                : "peak score %s; its reason was not recorded (the alert opened before reasons were)".formatted(
                        ReasonText.number(series.alert().peak()));
    }

    private Severity severity(double peak) {
        return peak >= policy.criticalScore() ? Severity.CRITICAL : Severity.WARNING;
    }

    /** Links into the Grafana dashboards that grafana/ provisions (uid vigil-host). */
    private Map<String, String> links(String hostId, String metric) {
        String host = policy.dashboardUrl() + "/d/vigil-host/host-detail?var-host=" + encode(hostId);
        return metric == null ? Map.of("host", host) : Map.of("host", host, "metric", host + "&var-metric=" + encode(metric));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String duration(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        return d.toHours() > 0 ? "%dh%02dm".formatted(d.toHours(), d.toMinutesPart())
                : d.toMinutes() > 0 ? "%dm%02ds".formatted(d.toMinutes(), d.toSecondsPart()) : d.toSeconds() + "s";
    }
}
