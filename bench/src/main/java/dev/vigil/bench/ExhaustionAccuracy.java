package dev.vigil.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.prediction.ExhaustionForecaster;

/**
 * How well Vigil tells when a leaking series will be full, against Prometheus' {@code predict_linear} over the same
 * samples: the simulator's slow leaks on bounded series (memory and filesystem utilization, with their daily cycles,
 * drift and noise), sampled every 10 s. At the end of every minute of a leak until the series reaches its ceiling,
 * each method's time to exhaustion is compared with the time it actually took; the figure is the median absolute
 * error over all of them. Also: how early a warning would have gone out (the first minute Vigil's PREDICTED alert
 * condition holds), and how often the interval holds the truth.
 *
 * <p>{@code predict_linear} is evaluated by the real Prometheus ({@link PrometheusReplay}: the same samples
 * backfilled with {@code promtool}, queried over HTTP) when {@code --prometheus} is given; otherwise by the same
 * least squares computed here ({@link #leastSquaresHours}), which agrees with it, for tuning.
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.ExhaustionAccuracy [--seeds 1,2,3] [--hosts 100]
 *      [--days 8] [--windows 30m,1h,2h,6h] [--prometheus] [--params short,long,cycle,z,zSignificant]</pre>
 */
public final class ExhaustionAccuracy {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Instant START = Instant.parse("2026-01-07T00:00:00Z");
    static final Duration HORIZON = Duration.ofHours(6);

    private ExhaustionAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        long[] seeds = Arrays.stream(options.getOrDefault("seeds", "1,2,3").split(",")).mapToLong(Long::parseLong).toArray();
        int hosts = Integer.parseInt(options.getOrDefault("hosts", "100"));
        int days = Integer.parseInt(options.getOrDefault("days", "8"));
        List<Duration> windows = Arrays.stream(options.getOrDefault("windows", "30m,1h,2h,6h").split(","))
                .map(ExhaustionAccuracy::duration).toList();
        ExhaustionForecaster.Parameters parameters = options.containsKey("params") ? parameters(options.get("params"))
                : ExhaustionForecaster.Parameters.DEFAULT;
        long maxWindow = windows.stream().mapToLong(Duration::toMillis).max().orElse(0);
        List<LeakCases.Case> cases = new ArrayList<>();
        long started = System.nanoTime();
        for (long seed : seeds) {
            FleetSimulator.Options fleet = new FleetSimulator.Options(hosts, 10, seed, START, INTERVAL, Duration.ofDays(1), Duration.ofDays(2));
            cases.addAll(LeakCases.of(fleet, days * 8640L, maxWindow, i -> new ExhaustionForecaster(parameters)));
        }
        List<LeakCases.Case> exhausted = cases.stream().filter(LeakCases.Case::exhausted).toList();
        System.out.printf("%d slow leaks on bounded series (seeds %s, %d hosts x 10 series x %d days), %d reach the ceiling; simulated in %.1f s%n",
                cases.size(), Arrays.toString(seeds), hosts, days, exhausted.size(), (System.nanoTime() - started) / 1e9);
        Map<String, double[]> errors = new LinkedHashMap<>();
        errors.put("vigil", vigilErrors(exhausted));
        for (Duration window : windows) {
            errors.put("least squares " + window.toMinutes() + "m", leastSquaresErrors(exhausted, window.toMillis()));
        }
        if (options.containsKey("prometheus")) {
            try (PrometheusReplay prometheus = PrometheusReplay.start(exhausted)) {
                for (Duration window : windows) {
                    errors.put("predict_linear " + window.toMinutes() + "m", prometheus.errors(exhausted, window));
                }
            }
        }
        errors.forEach((name, e) -> System.out.printf("%-24s median |error| %s  (p25 %s, p75 %s; %d estimates, %.0f %% none)%n", name,
                minutes(percentile(e, 0.5)), minutes(percentile(e, 0.25)), minutes(percentile(e, 0.75)), e.length,
                100.0 * Arrays.stream(e).filter(Double::isInfinite).count() / Math.max(1, e.length)));
        leadTimes(exhausted);
        coverage(exhausted);
    }

    /** Per evaluation, |Vigil's time to exhaustion - the truth|, in hours; infinite when Vigil saw no end. */
    static double[] vigilErrors(List<LeakCases.Case> cases) {
        List<Double> errors = new ArrayList<>();
        for (LeakCases.Case leak : cases) {
            for (LeakCases.Evaluation evaluation : leak.evaluations()) {
                ExhaustionForecaster.Estimate estimate = evaluation.estimate();
                double predicted = estimate == null || !estimate.inSight() ? Double.POSITIVE_INFINITY
                        : Math.max(0, estimate.at() - evaluation.time()) / 3.6e6;
                errors.add(Math.abs(predicted - (leak.exhaustedAt() - evaluation.time()) / 3.6e6));
            }
        }
        return errors.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] leastSquaresErrors(List<LeakCases.Case> cases, long window) {
        List<Double> errors = new ArrayList<>();
        for (LeakCases.Case leak : cases) {
            for (LeakCases.Evaluation evaluation : leak.evaluations()) {
                double predicted = leastSquaresHours(leak, evaluation.time(), window);
                errors.add(Math.abs(predicted - (leak.exhaustedAt() - evaluation.time()) / 3.6e6));
            }
        }
        return errors.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Hours until the least-squares line through the samples in [time - window, time] reaches the case's ceiling, as
     * {@code predict_linear} computes it (intercept at {@code time}).
     */
    static double leastSquaresHours(LeakCases.Case leak, long time, long window) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxy = 0;
        double sxx = 0;
        long[] times = leak.times();
        for (int k = 0; k < times.length; k++) {
            if (times[k] >= time - window && times[k] <= time) {
                double x = (times[k] - time) / 1000.0;
                double y = leak.values()[k];
                n++;
                sx += x;
                sy += y;
                sxy += x * y;
                sxx += x * x;
            }
        }
        double cov = sxy - sx * sy / n;
        double var = sxx - sx * sx / n;
        double slope = cov / var;
        double intercept = sy / n - slope * sx / n;
        return hoursToCeiling(leak.ceiling(), intercept, slope * 3600);
    }

    /** Hours until a line at {@code now} with {@code perHour} reaches {@code ceiling}: 0 if there already, infinite if not rising. */
    static double hoursToCeiling(double ceiling, double now, double perHour) {
        if (now >= ceiling) {
            return 0;
        }
        return perHour > 0 ? (ceiling - now) / perHour : Double.POSITIVE_INFINITY;
    }

    /** When the PREDICTED alert opened (or was open at the leak's start), against when the series reached its ceiling. */
    private static void leadTimes(List<LeakCases.Case> cases) {
        List<Double> leads = new ArrayList<>();
        int atLeastHour = 0;
        int possible = 0;
        int possibleWarned = 0;
        for (LeakCases.Case leak : cases) {
            double lead = leak.warnedAt() == 0 || leak.warnedAt() > leak.exhaustedAt() ? -1 : (leak.exhaustedAt() - leak.warnedAt()) / 3.6e6;
            leads.add(lead);
            atLeastHour += lead >= 1 ? 1 : 0;
            if (leak.exhaustedAt() - leak.start() >= Duration.ofMinutes(90).toMillis()) {
                possible++;
                possibleWarned += lead >= 1 ? 1 : 0;
            }
        }
        double[] all = leads.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf("PREDICTED alert >= 1 h before the ceiling: %d of %d leaks (%.1f %%); of the %d that reach it 90 min or more after "
                + "they start: %.1f %%; median lead %s; never warned before the ceiling: %d%n", atLeastHour, cases.size(),
                100.0 * atLeastHour / cases.size(), possible, 100.0 * possibleWarned / Math.max(1, possible), minutes(percentile(all, 0.5)),
                leads.stream().filter(l -> l < 0).count());
    }

    private static void coverage(List<LeakCases.Case> cases) {
        long inside = 0;
        long total = 0;
        for (LeakCases.Case leak : cases) {
            for (LeakCases.Evaluation evaluation : leak.evaluations()) {
                ExhaustionForecaster.Estimate e = evaluation.estimate();
                if (e != null && e.rising()) {
                    total++;
                    inside += e.earliest() <= leak.exhaustedAt() && leak.exhaustedAt() <= e.latest() ? 1 : 0;
                }
            }
        }
        System.out.printf("interval holds the truth: %.1f %% of %d estimates of a rising series%n", 100.0 * inside / Math.max(1, total), total);
    }

    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
    }

    static String minutes(double hours) {
        return Double.isInfinite(hours) ? "never" : Double.isNaN(hours) ? "-" : "%.0f min".formatted(hours * 60);
    }

    private static ExhaustionForecaster.Parameters parameters(String text) {
        double[] p = Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray();
        return new ExhaustionForecaster.Parameters(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }

    static Duration duration(String text) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("a duration such as 30m, 6h or 2d, not " + text);
        };
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        return options;
    }
}
