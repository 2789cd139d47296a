package dev.vigil.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import dev.vigil.avro.AnomalyKind;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulatedHost;
import dev.vigil.prediction.BoundedMetric;
import dev.vigil.prediction.BoundedMetrics;
import dev.vigil.prediction.ExhaustionForecaster;
import dev.vigil.prediction.PredictedAlert;
import dev.vigil.streams.TopologySettings;

/**
 * The simulator's slow leaks on bounded series, run through Vigil's forecaster the way the streams application
 * runs it (minute means, one estimate per closed minute), with every sample kept around each leak so that another
 * method can be evaluated on exactly the same data.
 */
final class LeakCases {

    /** One estimate, at the end of a closed minute (the time of its last sample). */
    record Evaluation(long time, ExhaustionForecaster.Estimate estimate) {
    }

    /**
     * One leak: its series' samples from {@code history} before it starts to its end, when (if ever) the series reached
     * its ceiling, when its PREDICTED alert opened during the leak (or was open at its start; 0 if neither), and Vigil's
     * estimate at every minute of it until the ceiling.
     */
    record Case(String host, String metric, double ceiling, long start, long end, long exhaustedAt, long warnedAt, long[] times,
                double[] values, List<Evaluation> evaluations) {

        boolean exhausted() {
            return exhaustedAt > 0;
        }
    }

    /** A minute's mean and the time of its last sample. */
    private static final class Minute {
        long start = -1;
        double sum;
        int count;
        long last;
    }

    private LeakCases() {
    }

    /**
     * Every slow leak on a bounded series of the fleet {@code options} describes, over {@code ticks} ticks; hosts are
     * simulated one after the other by {@code forecasters}' parameters.
     */
    static List<Case> of(FleetSimulator.Options options, long ticks, long historyMillis, IntFunction<ExhaustionForecaster> forecasters) {
        List<Case> cases = new ArrayList<>();
        for (int h = 0; h < options.hosts(); h++) {
            runHost(options, h, ticks, historyMillis, forecasters, cases);
        }
        return cases;
    }

    private static void runHost(FleetSimulator.Options options, int index, long ticks, long historyMillis,
                                IntFunction<ExhaustionForecaster> forecasters, List<Case> cases) {
        SimulatedHost host = SimulatedHost.of(options, index);
        int n = host.seriesCount();
        BoundedMetric[] bounded = new BoundedMetric[n];
        ExhaustionForecaster[] forecaster = new ExhaustionForecaster[n];
        PredictedAlert[] alerts = new PredictedAlert[n];
        Minute[] minutes = new Minute[n];
        SampleRing[] rings = new SampleRing[n];
        long intervalMillis = options.interval().toMillis();
        int ringSize = (int) (historyMillis / intervalMillis) + 8 * 360 * 6 + 16;
        for (int i = 0; i < n; i++) {
            bounded[i] = BoundedMetrics.of(host.metric(i)).filter(b -> b.limitMetric().isEmpty()).orElse(null);
            if (bounded[i] != null) {
                forecaster[i] = forecasters.apply(i);
                alerts[i] = new PredictedAlert();
                minutes[i] = new Minute();
                rings[i] = new SampleRing(ringSize);
            }
        }
        OpenCase[] open = new OpenCase[n];
        double[] values = new double[n];
        for (long tick = 0; tick < ticks; tick++) {
            long time = host.nextTimeMillis();
            host.nextTick(values, (anomaly, series) -> {
                if (bounded[series] != null && anomaly.getKind() == AnomalyKind.SLOW_LEAK) {
                    open[series] = new OpenCase(anomaly.getStart().toEpochMilli(), anomaly.getEnd().toEpochMilli());
                    if (alerts[series].isOpen()) {
                        open[series].warnedAt = anomaly.getStart().toEpochMilli();
                    }
                }
            });
            for (int i = 0; i < n; i++) {
                if (bounded[i] == null) {
                    continue;
                }
                double value = values[i];
                Minute minute = minutes[i];
                long minuteStart = time - Math.floorMod(time, 60_000L);
                if (minute.start >= 0 && minute.start != minuteStart) {
                    forecaster[i].addMinute(minute.start + 30_000, minute.sum / minute.count);
                    ExhaustionForecaster.Estimate estimate = forecaster[i].estimate(bounded[i].ceiling());
                    // The application's alert step (SeriesPrediction.minuteClosed), with its default policy.
                    PredictedAlert.Transition transition = alerts[i].observe(minute.start + 60_000, estimate,
                            TopologySettings.DEFAULT.prediction().horizon(), TopologySettings.DEFAULT.alerts().updateEvery());
                    OpenCase leak = open[i];
                    if (leak != null && leak.exhaustedAt == 0 && minute.last >= leak.start) {
                        leak.evaluations.add(new Evaluation(minute.last, estimate));
                        if (transition == PredictedAlert.Transition.OPENED && leak.warnedAt == 0) {
                            leak.warnedAt = minute.start + 60_000;
                        }
                    }
                    minute.sum = 0;
                    minute.count = 0;
                }
                minute.start = minuteStart;
                minute.sum += value;
                minute.count++;
                minute.last = time;
                rings[i].add(time, value);
                OpenCase leak = open[i];
                if (leak != null) {
                    if (leak.exhaustedAt == 0 && value >= bounded[i].ceiling()) {
                        leak.exhaustedAt = time;
                    }
                    if (time >= leak.end) {
                        Samples samples = rings[i].from(leak.start - historyMillis);
                        cases.add(new Case(host.id(), host.metric(i), bounded[i].ceiling(), leak.start, leak.end,
                                leak.exhaustedAt, leak.warnedAt, samples.times(), samples.values(), List.copyOf(leak.evaluations)));
                        open[i] = null;
                    }
                }
            }
        }
    }

    private static final class OpenCase {
        final long start;
        final long end;
        long exhaustedAt;
        long warnedAt;
        final List<Evaluation> evaluations = new ArrayList<>();

        OpenCase(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    private record Samples(long[] times, double[] values) {
    }

    /** The newest samples of one series. */
    private static final class SampleRing {
        private final long[] times;
        private final double[] values;
        private long added;

        SampleRing(int capacity) {
            times = new long[capacity];
            values = new double[capacity];
        }

        void add(long time, double value) {
            int at = (int) (added++ % times.length);
            times[at] = time;
            values[at] = value;
        }

        int size() {
            return (int) Math.min(added, times.length);
        }

        /** The samples at or after {@code from}, oldest first: their times and their values. */
        Samples from(long from) {
            int count = countFrom(from);
            long[] outTimes = new long[count];
            double[] outValues = new double[count];
            for (int k = 0; k < count; k++) {
                int at = (int) ((added - count + k) % times.length);
                outTimes[k] = times[at];
                outValues[k] = values[at];
            }
            return new Samples(outTimes, outValues);
        }

        private int countFrom(long from) {
            int count = 0;
            while (count < size() && times[(int) ((added - count - 1) % times.length)] >= from) {
                count++;
            }
            return count;
        }
    }
}
