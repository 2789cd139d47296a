package dev.vigil.schemas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;

/** Realistic metric batches for tests and benchmarks: OpenTelemetry names, labels, both kinds. */
public final class MetricBatches {

    private static final String[] NAMES = {
        "system.cpu.utilization", "system.memory.usage", "system.filesystem.usage", "system.network.io",
        "system.disk.io", "system.cpu.load_average.1m", "system.processes.count", "system.network.errors"};

    private MetricBatches() {
    }

    /** A batch of {@code samples} samples from {@code hostId}, with values derived from {@code seed}. */
    public static MetricBatch batch(String hostId, int samples, long seed) {
        List<Sample> list = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            String name = NAMES[i % NAMES.length];
            boolean counter = name.endsWith(".io") || name.endsWith(".errors");
            list.add(Sample.newBuilder()
                    .setName(name)
                    .setLabels(Map.of("device", "dev" + (i / NAMES.length), "state", i % 2 == 0 ? "used" : "free"))
                    .setValue((seed * 31 + i) % 1000 / 10.0)
                    .setUnit(counter ? "By/s" : "1")
                    .setKind(counter ? MetricKind.COUNTER : MetricKind.GAUGE)
                    .build());
        }
        return MetricBatch.newBuilder()
                .setHostId(hostId)
                .setHostLabels(Map.of("datacenter", "fra1", "role", "web", "environment", "prod"))
                .setCollectedAt(Instant.ofEpochMilli(1_700_000_000_000L + seed * 10_000))
                .setSequence(seed)
                .setSamples(list)
                .build();
    }
}
