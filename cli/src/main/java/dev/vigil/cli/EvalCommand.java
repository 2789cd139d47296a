package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;
import dev.vigil.detection.nab.NabCorpus;
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
        subcommands = EvalCommand.Nab.class)
final class EvalCommand {

    @Command(name = "nab", mixinStandardHelpOptions = true,
            description = {"Replays every <data>/<category>/<file>.csv through the detector, writes NAB results files",
                "<out>/vigil/<category>/vigil_<file>.csv and prints the standard, low-FP and low-FN scores."})
    static final class Nab implements Callable<Integer> {

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "NAB data folder (category subfolders of CSV files).")
        private Path data;

        @Option(names = "--labels", required = true, paramLabel = "FILE", description = "NAB combined_windows.json.")
        private Path labels;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the results files go.")
        private Path out;

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
            PrintWriter out = spec.commandLine().getOut();
            Map<String, List<NabWindow>> windows = NabCorpus.readLabels(labels);
            List<NabCorpus.Series> corpus = NabCorpus.readData(data);
            List<NabScorer.FileScores> scored = NabEvaluator.detect(corpus, windows,
                    () -> new AnomalyDetector(DetectorSettings.DEFAULT), this.out);
            out.printf("%d files, %,d samples; results in %s%n", corpus.size(),
                    corpus.stream().mapToInt(s -> s.values().length).sum(), this.out.resolve(NabEvaluator.DETECTOR));
            for (NabProfile profile : NabProfile.ALL) {
                NabScorer.Result result = NabScorer.score(scored, profile);
                out.printf("  %-20s %6.2f  (threshold %.4f, %d of %d windows detected, %d false positives)%n", profile.name(),
                        result.normalizedScore(), result.threshold(), result.truePositiveWindows(), result.windows(),
                        result.falsePositives());
            }
            return ExitCodes.OK;
        }
    }
}
