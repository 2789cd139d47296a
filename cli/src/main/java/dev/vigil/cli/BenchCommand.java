package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import dev.vigil.e2e.PipelineBenchmark;
import dev.vigil.stack.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil bench pipeline}: the end-to-end benchmark; the micro-benchmarks live in the bench module (JMH). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measures Vigil on this machine.",
        subcommands = {BenchCommand.Pipeline.class})
final class BenchCommand {

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"Runs the whole pipeline on a fresh local stack, the streams application and the sink each in its own JVM,",
                "fed by a simulated fleet (50 series per host every 10 s), and reports sustained samples/s per stage, sample-to-row",
                "and sample-to-alert latency, consumer lag, CPU and memory per process, and an exactly-once check of ClickHouse.",
                "Run it on a quiet machine; results belong in docs/benchmarks.md."})
    static final class Pipeline implements Callable<Integer> {

        @Option(names = "--hosts", defaultValue = "1000", description = "Simulated hosts, 50 series each every 10 s (default: ${DEFAULT-VALUE}).")
        private int hosts;

        @Option(names = "--for", defaultValue = "120s", converter = DurationConverter.class,
                description = "How long to measure once the history is through (default: ${DEFAULT-VALUE}).")
        private Duration duration;

        @Option(names = "--history", defaultValue = "30m", converter = DurationConverter.class,
                description = "Simulated history sent first, so that detectors are past their warm-up and alert; 0s for none (default: ${DEFAULT-VALUE}).")
        private Duration history;

        @Option(names = "--runs", defaultValue = "1", description = "Runs, each on a fresh stack; the summary gives medians (default: ${DEFAULT-VALUE}).")
        private int runs;

        @Option(names = "--keep", description = "Keep each run's work folder (stack data, state, logs) instead of deleting it.")
        private boolean keep;

        @Option(names = "--aligned", description = "All hosts send at the same instant of each interval, instead of at their own offsets.")
        private boolean aligned;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (hosts < 1 || runs < 1) {
                throw new IllegalArgumentException("--hosts and --runs must be at least 1");
            }
            PrintWriter out = spec.commandLine().getOut();
            List<PipelineBenchmark.Result> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                out.printf("== run %d of %d%n", run, runs);
                Path work = Files.createTempDirectory("vigil-bench-pipeline");
                Optional<PipelineBenchmark.Result> result;
                try {
                    result = PipelineBenchmark.run(new PipelineBenchmark.Settings(hosts, duration, history, !aligned, work), out);
                } finally {
                    if (keep) {
                        out.printf("kept the run's stack, state and logs in %s%n", work);
                    } else {
                        FileTrees.delete(work); // a run at 20,000 hosts leaves some 14 GB of Kafka, RocksDB and ClickHouse data
                    }
                }
                if (result.isEmpty()) {
                    return ExitCodes.FAILED;
                }
                results.add(result.get());
            }
            if (runs > 1) {
                printMedians(out, results);
            }
            return results.stream().allMatch(PipelineBenchmark.Result::exactlyOnce) ? ExitCodes.OK : ExitCodes.FAILED;
        }

        private static void printMedians(PrintWriter out, List<PipelineBenchmark.Result> results) {
            ToDoubleFunction<ToDoubleFunction<PipelineBenchmark.Result>> median = f -> results.stream().mapToDouble(f).sorted()
                    .skip(results.size() / 2).findFirst().orElse(0);
            // Without history the detectors are still warming up and nothing opens; say so rather than print NaN.
            String alerts = results.stream().allMatch(r -> r.openedLatencies().isEmpty())
                    ? "no alert opened (give --history longer than the detectors' warm-up)"
                    : String.format("sample-to-alert-opened p50 %,.0f ms, p99 %,.0f ms (%,.0f openings)",
                            median.applyAsDouble(r -> quantile(r.openedLatencies(), 0.5)),
                            median.applyAsDouble(r -> quantile(r.openedLatencies(), 0.99)),
                            median.applyAsDouble(r -> r.openedLatencies().size()));
            out.printf("== median of %d runs: rows into ClickHouse %,.0f/s (scored %,.0f/s); tick-to-rows p50 %,.0f ms, p99 %,.0f ms;"
                            + " %s; CPU streams %.2f, sink %.2f, clickhouse %.2f cores; exactly once in %d of %d%n",
                    results.size(), median.applyAsDouble(PipelineBenchmark.Result::rowsPerSecond),
                    median.applyAsDouble(PipelineBenchmark.Result::scoredPerSecond),
                    median.applyAsDouble(r -> quantile(r.rowLatencies(), 0.5)), median.applyAsDouble(r -> quantile(r.rowLatencies(), 0.99)),
                    alerts, median.applyAsDouble(PipelineBenchmark.Result::streamsCores), median.applyAsDouble(PipelineBenchmark.Result::sinkCores),
                    median.applyAsDouble(PipelineBenchmark.Result::clickHouseCores),
                    results.stream().filter(PipelineBenchmark.Result::exactlyOnce).count(), results.size());
        }

        private static double quantile(List<Long> values, double quantile) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
            return PipelineBenchmark.percentile(sorted, quantile);
        }
    }
}
