package dev.vigil.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.DetectorSettings;

/**
 * Samples per second through one detector's update + score, on a seasonal, noisy series with shifts;
 * and the same with the state serialised and restored around every sample, as a state store would.
 * Run: {@code java -jar bench/target/vigil-benchmarks.jar Detector}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DetectorBenchmark {

    private static final int SERIES_LENGTH = 1 << 16;

    private final double[] values = new double[SERIES_LENGTH];
    private AnomalyDetector detector;
    private byte[] state;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SERIES_LENGTH; i++) {
            values[i] = 100 + 20 * Math.sin(2 * Math.PI * i / 288) + 3 * random.nextGaussian() + ((i / 5_000) % 2 == 0 ? 0 : 25);
        }
        detector = new AnomalyDetector(DetectorSettings.DEFAULT);
        state = detector.toBytes();
    }

    @Benchmark
    public AnomalyScore update() {
        next = (next + 1) & (SERIES_LENGTH - 1);
        return detector.update(next * 300_000L, values[next]);
    }

    @Benchmark
    public AnomalyScore updateThroughStateBytes() {
        next = (next + 1) & (SERIES_LENGTH - 1);
        AnomalyDetector restored = AnomalyDetector.fromBytes(state, DetectorSettings.DEFAULT);
        AnomalyScore score = restored.update(next * 300_000L, values[next]);
        state = restored.toBytes();
        return score;
    }
}
