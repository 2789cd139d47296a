package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.detection.nab.NabCorpus;
import dev.vigil.detection.nab.NabCrossValidation;
import dev.vigil.detection.nab.NabEvaluator;
import dev.vigil.detection.nab.NabProfile;
import dev.vigil.detection.nab.NabScorer;
import dev.vigil.detection.nab.NabWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil eval nab}: the detector on a NAB-format corpus, scored the NAB way. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluates the anomaly detector offline.",
        subcommands = {EvalCommand.Nab.class, EvalCommand.Simulated.class, FleetEvalCommand.class})
final class EvalCommand {

    /** Prints the three profile scores of a scored corpus. */
    static void printScores(PrintWriter out, List<NabScorer.FileScores> scored) {
        for (NabProfile profile : NabProfile.ALL) {
            NabScorer.Result result = NabScorer.score(scored, profile);
            out.printf("  %-20s %6.2f  (threshold %.4f, %d of %d windows detected, %d false positives)%n", profile.name(),
                    result.normalizedScore(), result.threshold(), result.truePositiveWindows(), result.windows(),
                    result.falsePositives());
        }
    }

    @Command(name = "sim", mixinStandardHelpOptions = true,
            description = {"Runs the fleet simulator offline through the detector and scores it the NAB way against the",
                "injected anomalies (each one a window: its span plus as much again, at least 12 samples)."})
    static final class Simulated implements Callable<Integer> {

        @Option(names = "--hosts", defaultValue = "20", description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
        private int hosts;

        @Option(names = "--metrics", defaultValue = "10", description = "Series per host (default: ${DEFAULT-VALUE}).")
        private int metrics;

        @Option(names = "--days", defaultValue = "10", description = "Simulated days at one sample per 5 minutes (default: ${DEFAULT-VALUE}).")
        private int days;

        @Option(names = "--seed", defaultValue = "1", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
        private long seed;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            if (hosts < 1 || metrics < 1 || days < 1) {
                throw new IllegalArgumentException("--hosts, --metrics and --days must be at least 1");
            }
            PrintWriter out = spec.commandLine().getOut();
            int ticks = days * 288;
            List<NabScorer.FileScores> scored = SimulatedFleetEvaluation.run(simulation(hosts, metrics, days, seed), ticks);
            out.printf("%d series x %,d samples, %d injected anomalies%n", scored.size(), ticks,
                    scored.stream().mapToInt(file -> file.windows().size()).sum());
            printScores(out, scored);
            return ExitCodes.OK;
        }
    }

    /** Five-minute samples from 2026-01-05 (a Monday); anomalies about once per series per three days, after 1.5 days. */
    static FleetSimulator.Options simulation(int hosts, int metrics, int days, long seed) {
        return new FleetSimulator.Options(hosts, metrics, seed, Instant.parse("2026-01-05T00:00:00Z"), Duration.ofMinutes(5),
                Duration.ofDays(3), Duration.ofMillis((long) (Duration.ofDays(days).toMillis() * 0.15)));
    }

    @Command(name = "nab", mixinStandardHelpOptions = true,
            description = {"Replays every <data>/<category>/<file>.csv through the detector, writes NAB results files",
                "<out>/vigil/<category>/vigil_<file>.csv and prints the standard, low-FP and low-FN scores.",
                "With --cv: leave-one-category-out cross-validation instead. For each category, the detector's",
                "candidate settings and the threshold are chosen on the other categories only, then that category",
                "is scored; prints every fold, the pooled held-out score and, beside it, the in-sample one."})
    static final class Nab implements Callable<Integer> {

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "NAB data folder (category subfolders of CSV files).")
        private Path data;

        @Option(names = "--labels", required = true, paramLabel = "FILE", description = "NAB combined_windows.json.")
        private Path labels;

        @Option(names = "--out", paramLabel = "DIR", description = "Where the results files go (required without --cv).")
        private Path out;

        @Option(names = "--cv", description = "Leave-one-category-out cross-validation (writes no results files).")
        private boolean crossValidate;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(data)) {
                throw new IllegalArgumentException("--data " + data + " is not a folder");
            }
            if (!Files.isRegularFile(labels)) {
                throw new IllegalArgumentException("--labels " + labels + " is not a file");
            }
            if (!crossValidate && this.out == null) {
                throw new IllegalArgumentException("--out is required (or --cv for cross-validation)");
            }
            PrintWriter out = spec.commandLine().getOut();
            Map<String, List<NabWindow>> windows = NabCorpus.readLabels(labels);
            List<NabCorpus.Series> corpus = NabCorpus.readData(data);
            if (crossValidate) {
                crossValidate(out, corpus, windows);
                return ExitCodes.OK;
            }
            List<NabScorer.FileScores> scored = NabEvaluator.detect(corpus, windows,
                    () -> new AnomalyDetector(DetectorSettings.DEFAULT), this.out);
            out.printf("%d files, %,d samples; results in %s%n", corpus.size(),
                    corpus.stream().mapToInt(s -> s.values().length).sum(), this.out.resolve(NabEvaluator.DETECTOR));
            printScores(out, scored);
            return ExitCodes.OK;
        }

        private static void crossValidate(PrintWriter out, List<NabCorpus.Series> corpus, Map<String, List<NabWindow>> windows) {
            List<NabCrossValidation.Candidate<DetectorSettings>> candidates = NabCrossValidation.candidates(DetectorSettings.candidates());
            NabCrossValidation<DetectorSettings> cv = new NabCrossValidation<>(corpus, windows, candidates, AnomalyDetector::new);
            out.printf("%d files, %,d samples, %d categories, %d candidate settings; leave one category out%n", corpus.size(),
                    corpus.stream().mapToInt(s -> s.values().length).sum(), cv.categories().size(), candidates.size());
            for (NabProfile profile : NabProfile.ALL) {
                NabCrossValidation.ProfileResult result = cv.evaluate(profile);
                out.printf("%s: cross-validated %.2f (%d of %d windows, %d false positives); in-sample %.2f (%s, threshold %.4f)%n",
                        profile.name(), result.pooledScore(), result.detected(), result.windows(), result.falsePositives(),
                        result.inSample().normalizedScore(), result.inSampleChoice(), result.inSample().threshold());
                for (NabCrossValidation.Fold fold : result.folds()) {
                    NabScorer.Result held = fold.heldOut();
                    out.printf("  held out %-22s chosen %-40s threshold %.4f  held-out %s  %d of %d windows, %d false positives%n",
                            fold.category(), fold.chosen(), held.threshold(),
                            held.windows() == 0 ? "raw %6.2f".formatted(held.rawScore()) : "%10.2f".formatted(held.normalizedScore()),
                            held.truePositiveWindows(), held.windows(), held.falsePositives());
                }
            }
        }
    }
}
