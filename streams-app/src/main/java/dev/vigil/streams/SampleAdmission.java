package dev.vigil.streams;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.schemas.MetricContract;
import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.streams.state.DailyProfilePages;
import dev.vigil.streams.state.Fingerprints;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.SeriesKey;
import dev.vigil.streams.state.SeriesState;

/**
 * Decides which samples of a host's batch are scored: a sample must keep {@link MetricContract}, must not be stamped
 * further ahead of this application's clock than {@code max.clock.skew}, must belong to a series the host has or may
 * still add ({@code max.series.per.host}), and must be newer than its series' newest. What it refuses it counts and
 * reports, one dead letter per kind of refusal; older samples are only counted.
 */
final class SampleAdmission {

    /** Receives each admitted sample, in the batch's order. */
    @FunctionalInterface
    interface Admitted {
        void accept(SeriesState series, long time, double value);
    }

    /** One kind of refusal in a batch: the dead letter's reason and message. */
    record Refusal(DeadLetterReason reason, String message) {
    }

    private static final int MAX_PROBLEMS_NAMED = 5;

    private final TopologySettings settings;
    private final ScoringMetrics metrics;

    SampleAdmission(TopologySettings settings, ScoringMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Admits the batch's samples into the host's series (adding series it has not seen), handing each admitted one
     * to {@code admitted}.
     *
     * @param now this application's clock, against which samples stamped ahead are measured
     * @return the refusals, at most one per kind, in the order invalid samples, new series beyond the limit, clock skew
     */
    List<Refusal> admit(MetricBatch batch, HostState host, DailyProfilePages profiles, long now, Admitted admitted) {
        String hostId = batch.getHostId();
        long batchTime = batch.getCollectedAt().toEpochMilli();
        long skew = settings.maxClockSkew().toMillis();
        List<String> invalid = new ArrayList<>();
        int refusedSeries = 0;
        int ahead = 0;
        long mostAhead = 0;
        for (int i = 0; i < batch.getSamples().size(); i++) {
            Sample sample = batch.getSamples().get(i);
            long time = sample.getObservedAt() != null ? sample.getObservedAt().toEpochMilli() : batchTime;
            String problem = problemWith(sample, time);
            if (problem != null) {
                metrics.samplesInvalid.increment();
                invalid.add("sample " + i + " (" + sample.getName() + "): " + problem);
                continue;
            }
            if (time > now + skew) {
                metrics.samplesAhead.increment();
                ahead++;
                mostAhead = Math.max(mostAhead, time - now);
                continue;
            }
            SeriesState series = host.series(SeriesKey.lookup(sample.getName(), sample.getLabels()));
            if (series == null) {
                if (host.seriesCount() >= settings.maxSeriesPerHost()) {
                    metrics.seriesRefused.increment();
                    refusedSeries++;
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
            admitted.accept(series, time, sample.getValue());
        }
        int samples = batch.getSamples().size();
        List<Refusal> refusals = new ArrayList<>(3);
        if (!invalid.isEmpty()) {
            refusals.add(new Refusal(DeadLetterReason.INVALID_SAMPLE, refused(invalid.size(), samples, hostId)
                    + String.join("; ", invalid.subList(0, Math.min(MAX_PROBLEMS_NAMED, invalid.size())))
                    + (invalid.size() > MAX_PROBLEMS_NAMED ? "; ..." : "")));
        }
        if (refusedSeries > 0) {
            refusals.add(new Refusal(DeadLetterReason.TOO_MANY_SERIES, refused(refusedSeries, samples, hostId)
                    + "they are of new series and the host already has " + host.seriesCount() + " series (max.series.per.host)"));
        }
        if (ahead > 0) {
            refusals.add(new Refusal(DeadLetterReason.CLOCK_SKEW, refused(ahead, samples, hostId) + ahead + " samples stamped up to "
                    + Duration.ofMillis(mostAhead).truncatedTo(ChronoUnit.SECONDS) + " ahead of this application's clock (max.clock.skew "
                    + settings.maxClockSkew() + "): is the host's clock right?"));
        }
        return refusals;
    }

    private static String refused(int refused, int samples, String hostId) {
        return refused + " of " + samples + " samples of host " + hostId + " refused: ";
    }

    /** What is wrong with the sample under {@link MetricContract}, or null if nothing is. */
    private static String problemWith(Sample sample, long time) {
        String problem = MetricContract.metricNameProblem(sample.getName());
        if (problem == null) {
            problem = MetricContract.valueProblem(sample.getValue());
        }
        if (problem == null && time <= 0) {
            problem = "time " + time + " is not after 1970";
        }
        if (problem == null) {
            problem = MetricContract.unitProblem(sample.getUnit());
        }
        return problem != null ? problem : MetricContract.labelsProblem(sample.getLabels());
    }
}
