package dev.vigil.collectors.sensors;

import dev.vigil.collectors.agent.SampleSink;

/** One group of readings from the host (CPU, memory, disks ...), taken on its own interval. */
public interface Sensor {

    /** Short name used in config keys ({@code sensors.<name>.interval}) and self-metrics. */
    String name();

    /** Reads the host and puts samples into {@code sink}. Called from one thread only. */
    void read(SampleSink sink);
}
