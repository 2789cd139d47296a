package dev.vigil.detection.nab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.vigil.detection.AnomalyDetector;

/**
 * Leave-one-category-out cross-validation on a NAB corpus: an evaluation that cannot fool itself.
 *
 * <p>For each category in turn, everything chosen from data is chosen on the <i>other</i> categories only:
 * the candidate parameter set and the threshold that maximise the NAB score there. That choice then scores the
 * held-out category. The held-out raw scores of all folds are summed and normalised over all windows: the pooled
 * score estimates how the method does on data it was not tuned on. The in-sample score (candidate and threshold
 * chosen on everything) is reported beside it, labelled as such.
 *
 * @param <P> the candidates' parameter type
 */
public final class NabCrossValidation<P> {

    /** One parameter set to choose from, with a name to print. */
    public record Candidate<P>(String name, P parameters) {
        public Candidate {
            Objects.requireNonNull(name, "name can't be null");
            Objects.requireNonNull(parameters, "parameters can't be null");
        }
    }

    /** Candidates from named parameter sets, in the map's order. */
    public static <P> List<Candidate<P>> candidates(Map<String, P> named) {
        return named.entrySet().stream().map(entry -> new Candidate<>(entry.getKey(), entry.getValue())).toList();
    }

    /** A held-out category: what was chosen without it, and how that scored on it. */
    public record Fold(String category, String chosen, double trainScore, NabScorer.Result heldOut) {
    }

    /** Cross-validated and in-sample results for one profile. */
    public record ProfileResult(NabProfile profile, List<Fold> folds, double pooledScore, int windows, int detected,
                                int falsePositives, String inSampleChoice, NabScorer.Result inSample) {
    }

    private final List<Candidate<P>> candidates;
    private final Map<String, List<NabScorer.FileScores>> byCandidate = new LinkedHashMap<>();

    /**
     * Runs every candidate over the corpus once (the expensive part); {@link #evaluate} then only re-scores.
     *
     * @param detectors a fresh detector for one series with the candidate's parameters
     */
    public NabCrossValidation(List<NabCorpus.Series> corpus, Map<String, List<NabWindow>> labels,
                              List<Candidate<P>> candidates, Function<P, AnomalyDetector> detectors) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("at least one candidate is needed");
        }
        Set<String> names = new HashSet<>();
        for (Candidate<P> candidate : candidates) {
            if (!names.add(candidate.name())) {
                throw new IllegalArgumentException("two candidates are named " + candidate.name());
            }
        }
        this.candidates = List.copyOf(candidates);
        Map<String, List<NabScorer.FileScores>> scored = candidates.parallelStream().collect(Collectors.toConcurrentMap(
                Candidate::name, candidate -> detect(corpus, labels, () -> detectors.apply(candidate.parameters()))));
        candidates.forEach(candidate -> byCandidate.put(candidate.name(), scored.get(candidate.name())));
    }

    private static List<NabScorer.FileScores> detect(List<NabCorpus.Series> corpus, Map<String, List<NabWindow>> labels,
                                                     Supplier<AnomalyDetector> detectors) {
        try {
            return NabEvaluator.detect(corpus, labels, detectors, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: nothing is written
        }
    }

    /** The category of a NAB key {@code category/file.csv}. */
    public static String category(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** The categories of the corpus, sorted. */
    public Set<String> categories() {
        return byCandidate.values().iterator().next().stream().map(f -> category(f.name()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Leave-one-category-out under {@code profile}, and the in-sample figure beside it. */
    public ProfileResult evaluate(NabProfile profile) {
        List<Fold> folds = new ArrayList<>();
        double pooledRaw = 0;
        int windows = 0;
        int detected = 0;
        int falsePositives = 0;
        for (String heldOut : categories()) {
            Choice choice = best(profile, file -> !category(file.name()).equals(heldOut));
            List<NabScorer.FileScores> test = byCandidate.get(choice.candidate).stream()
                    .filter(file -> category(file.name()).equals(heldOut)).toList();
            NabScorer.Result result = NabScorer.scoreAt(test, profile, choice.result.threshold());
            folds.add(new Fold(heldOut, choice.candidate, choice.result.normalizedScore(), result));
            pooledRaw += result.rawScore();
            windows += result.windows();
            detected += result.truePositiveWindows();
            falsePositives += result.falsePositives();
        }
        Choice inSample = best(profile, file -> true);
        return new ProfileResult(profile, folds, NabScorer.normalized(pooledRaw, windows, profile), windows, detected,
                falsePositives, inSample.candidate, inSample.result);
    }

    private record Choice(String candidate, NabScorer.Result result) {
    }

    /** The candidate (and its threshold) scoring best on the files {@code train} accepts; the first wins ties. */
    private Choice best(NabProfile profile, Predicate<NabScorer.FileScores> train) {
        Choice best = null;
        for (Candidate<P> candidate : candidates) {
            NabScorer.Result result = NabScorer.score(byCandidate.get(candidate.name()).stream().filter(train).toList(), profile);
            if (best == null || result.rawScore() > best.result.rawScore()) {
                best = new Choice(candidate.name(), result);
            }
        }
        return best;
    }
}
