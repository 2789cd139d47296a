package dev.vigil.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.xerial.snappy.Snappy;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Refusals;
import dev.vigil.gateway.otlp.HistogramQuantiles;
import dev.vigil.gateway.otlp.OtlpMapper;
import dev.vigil.gateway.prometheus.HostIdentity;
import dev.vigil.gateway.prometheus.PrometheusMapper;
import dev.vigil.gateway.prometheus.RemoteWriteReader;
import dev.vigil.gateway.publish.BatchAssembler;

/**
 * The gateway's own work per sample without HTTP or Kafka, on one thread: a remote write decompressed, read and
 * assembled into encoded batches, and an OTLP request read off the wire, mapped and assembled, for {@link GatewayThroughput}'s
 * fleet of {@code hosts} x 50 series. It shows what the number of series costs (a table that no longer fits in the
 * caches) and what happens beyond the kept-series bound ({@code kept}, for both protocols), in about a minute and
 * without the broker; {@link GatewayThroughput} is the figure against the target.
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.GatewayMappingCost [hosts] [kept] [passes]</pre>
 *
 * Each pass sends every series about 8,000 / hosts samples (at least 2); the figure is the median of the later half
 * of the passes (the first ones warm the JIT and learn the series).
 */
public final class GatewayMappingCost {

    private static final int SAMPLES_PER_SERIES_PER_PASS = 8_000;

    private GatewayMappingCost() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int kept = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rounds = Math.max(2, SAMPLES_PER_SERIES_PER_PASS / hosts);
        GatewayThroughput.Workload workload = new GatewayThroughput.Workload(hosts, rounds, 1, 10);
        List<GatewayThroughput.Workload.Request> remoteWrites = workload.remoteWrite().get(0);
        List<GatewayThroughput.Workload.Request> otlpRequests = workload.otlp().get(0);

        RemoteWriteReader reader = new RemoteWriteReader(new PrometheusMapper(new HostIdentity(List.of("instance"), true)), kept);
        OtlpMapper otlp = new OtlpMapper(List.of("host.name"), List.of(), new HistogramQuantiles(1_000), kept);
        BatchAssembler remoteWriteAssembler = assembler();
        BatchAssembler otlpAssembler = assembler();
        List<Double> remoteWriteNanos = new ArrayList<>();
        List<Double> otlpNanos = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            long samples = 0;
            long started = System.nanoTime();
            for (GatewayThroughput.Workload.Request request : remoteWrites) {
                MappedRequest mapped = reader.read(Snappy.uncompress(request.body()), family -> null).mapped();
                remoteWriteAssembler.assemble(mapped.points(), System.currentTimeMillis(), new Refusals());
                samples += request.samples();
            }
            double remoteWrite = (System.nanoTime() - started) / (double) samples;
            samples = 0;
            started = System.nanoTime();
            for (GatewayThroughput.Workload.Request request : otlpRequests) {
                MappedRequest mapped = otlp.map(request.body()); // as OTLP/HTTP and the Kafka topic read it
                otlpAssembler.assemble(mapped.points(), System.currentTimeMillis(), new Refusals());
                samples += request.samples();
            }
            double otlpPerSample = (System.nanoTime() - started) / (double) samples;
            if (pass >= passes / 2) {
                remoteWriteNanos.add(remoteWrite);
                otlpNanos.add(otlpPerSample);
            }
        }
        System.out.printf("%,d hosts x 50 series = %,d series, %,d kept, %d passes of %,d samples per protocol%n",
                hosts, hosts * 50, kept, passes, hosts * 50L * rounds);
        System.out.printf("remote write: %.0f ns per sample read and assembled (median of %s)%n", median(remoteWriteNanos), rounded(remoteWriteNanos));
        System.out.printf("OTLP:         %.0f ns per sample read, mapped and assembled (median of %s)%n", median(otlpNanos), rounded(otlpNanos));
        System.out.printf("kept: remote write %,d, OTLP %,d%n", reader.knownSeries(), otlp.keptSeries());
    }

    /** As the gateway makes it by default, with no bound that this fleet reaches. */
    private static BatchAssembler assembler() {
        return new BatchAssembler(10_000, 10_000_000, Duration.ofMinutes(5));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
