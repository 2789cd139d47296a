package dev.vigil.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;

/**
 * How often the detector scores at or above a threshold on anomaly-free synthetic noise of several shapes: a
 * check of whether its surprise carries across kinds of series, with no labelled data at all. Per noise kind, 20
 * series of 4,000 five-minute samples; the first 750 of each are not counted (NAB's probation).
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.NoiseFalsePositives [threshold ...]</pre>
 */
public final class NoiseFalsePositives {

    private static final int SERIES = 20;
    private static final int SAMPLES = 4_000;
    private static final int UNCOUNTED = 750;
    private static final String[] KINDS = {"gaussian", "lognormal", "pareto2", "poisson-bursty", "randomwalk", "sparse-spikes",
        "quantised", "daily+heavy"};

    private NoiseFalsePositives() {
    }

    public static void main(String[] args) {
        double[] thresholds = args.length == 0 ? new double[] {0.183, 0.5} : Arrays.stream(args).mapToDouble(Double::parseDouble).toArray();
        System.out.print("noise           ");
        for (double threshold : thresholds) {
            System.out.printf("  >= %-6s", threshold);
        }
        System.out.println("  (scores per 10,000 samples)");
        for (String kind : KINDS) {
            long[] counts = new long[thresholds.length];
            for (int seed = 0; seed < SERIES; seed++) {
                SplittableRandom random = new SplittableRandom(seed * 31L + kind.hashCode());
                DoubleSupplier noise = noise(kind, random);
                AnomalyDetector detector = new AnomalyDetector(DetectorSettings.DEFAULT);
                for (int i = 0; i < SAMPLES; i++) {
                    double score = detector.update(1_700_000_000_000L + i * 300_000L, noise.getAsDouble()).score();
                    for (int t = 0; t < thresholds.length; t++) {
                        if (i >= UNCOUNTED && score >= thresholds[t]) {
                            counts[t]++;
                        }
                    }
                }
            }
            System.out.printf("%-16s", kind);
            for (long count : counts) {
                System.out.printf("  %9.1f", count * 1e4 / (SERIES * (SAMPLES - UNCOUNTED)));
            }
            System.out.println();
        }
    }

    private static DoubleSupplier noise(String kind, SplittableRandom random) {
        return switch (kind) {
            case "gaussian" -> () -> 50 + 5 * random.nextGaussian();
            case "lognormal" -> () -> Math.exp(1 + random.nextGaussian());
            case "pareto2" -> () -> 10 / Math.sqrt(1 - random.nextDouble());
            case "poisson-bursty" -> new DoubleSupplier() {
                private double rate = 5;

                @Override
                public double getAsDouble() {
                    rate = random.nextDouble() < 0.01 ? 5 + 40 * random.nextDouble() : rate + 0.05 * (5 - rate);
                    return poisson(random, rate);
                }
            };
            case "randomwalk" -> new DoubleSupplier() {
                private double walk = 100;

                @Override
                public double getAsDouble() {
                    walk += random.nextGaussian();
                    return walk;
                }
            };
            case "sparse-spikes" -> () -> random.nextDouble() < 0.02 ? 20 + 30 * random.nextDouble() : 1 + 0.1 * random.nextGaussian();
            case "quantised" -> () -> Math.round(3 + random.nextGaussian());
            default -> new DoubleSupplier() {
                private int i;

                @Override
                public double getAsDouble() {
                    return 100 + 30 * Math.sin(2 * Math.PI * i++ / 288.0) + 5 * Math.exp(random.nextGaussian());
                }
            };
        };
    }

    private static int poisson(SplittableRandom random, double rate) {
        double limit = Math.exp(-rate);
        double product = 1;
        int k = 0;
        do {
            k++;
            product *= random.nextDouble();
        } while (product > limit);
        return k - 1;
    }
}
