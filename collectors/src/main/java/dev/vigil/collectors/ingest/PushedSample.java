package dev.vigil.collectors.ingest;

import java.util.Map;

import dev.vigil.avro.MetricKind;

/** One validated sample an application pushed, waiting for the next batch. */
public record PushedSample(String name, Map<String, String> labels, double value, String unit, MetricKind kind, long observedAtMillis) {

    public PushedSample {
        labels = Map.copyOf(labels);
    }
}
