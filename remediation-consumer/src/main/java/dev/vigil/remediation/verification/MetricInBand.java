package dev.vigil.remediation.verification;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.runtime.config.Durations;

/**
 * Fixed when every series of {@code verify_metric} on the alert's host that reported since the action has been inside
 * its band (lower to upper, bounds included) for its last {@code verify_samples} scores, and at least one did. Scores
 * of a series still learning have no band worth the name and are not counted either way.
 */
final class MetricInBand implements FixedCheck {

    /** One series' run of scores inside its band, and the last score seen. */
    private static final class Run {
        int inside;
        AnomalyScore last;
    }

    private final String hostId;
    private final String metric;
    private final int samples;
    private final Instant startedAt;
    private final Duration within;
    private final Map<String, Run> runs = new TreeMap<>();
    private long seen;
    private Instant lastAt;

    MetricInBand(String hostId, String metric, int samples, Instant startedAt, Duration within) {
        this.hostId = hostId;
        this.metric = metric;
        this.samples = samples;
        this.startedAt = startedAt;
        this.within = within;
    }

    String hostId() {
        return hostId;
    }

    @Override
    public EvidenceSource source() {
        return EvidenceSource.SCORES;
    }

    @Override
    public Optional<VerificationResult.Kind> onAlert(Alert alert, Instant at) {
        return Optional.empty();
    }

    @Override
    public Optional<VerificationResult.Kind> onScore(AnomalyScore score, Instant at) {
        if (!score.getHostId().equals(hostId) || !score.getMetric().equals(metric) || at.isBefore(startedAt)) {
            return Optional.empty();
        }
        if (at.isAfter(startedAt.plus(within))) {
            // The host's scores are on one partition, in order: one past the deadline means every earlier one was read.
            return Optional.of(VerificationResult.Kind.INEFFECTIVE);
        }
        if (score.getLearning()) {
            return Optional.empty();
        }
        seen++;
        lastAt = at;
        Run run = runs.computeIfAbsent(score.getSeriesId(), id -> new Run());
        run.last = score;
        run.inside = inside(score) ? run.inside + 1 : 0;
        return runs.values().stream().allMatch(r -> r.inside >= samples) ? Optional.of(VerificationResult.Kind.VERIFIED) : Optional.empty();
    }

    private static boolean inside(AnomalyScore score) {
        return score.getValue() >= score.getLower() && score.getValue() <= score.getUpper();
    }

    @Override
    public String detail() {
        String subject = metric + " on " + hostId;
        String limit = " (verify_within " + Durations.format(within) + ")";
        if (runs.isEmpty()) {
            return subject + " not back inside its band" + limit + ": no score of it since the action";
        }
        Map.Entry<String, Run> worst = runs.entrySet().stream().min((a, b) -> Integer.compare(a.getValue().inside, b.getValue().inside))
                .orElseThrow();
        AnomalyScore last = worst.getValue().last;
        String numbers = Numbers.series(metric, last.getLabels()) + " last " + Numbers.inBand(last.getValue(), last.getLower(), last.getUpper())
                + ", score " + Numbers.value(last.getScore()) + ", " + worst.getValue().inside + " in a row inside; " + seen + " scores of "
                + runs.size() + " series seen";
        if (worst.getValue().inside >= samples) {
            return subject + " inside its band for " + samples + " scores in a row, " + Numbers.seconds(Duration.between(startedAt, lastAt))
                    + " after the action" + limit + ": " + numbers;
        }
        return subject + " not back inside its band" + limit + ": " + numbers;
    }
}
