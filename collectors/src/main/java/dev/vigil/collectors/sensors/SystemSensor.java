package dev.vigil.collectors.sensors;

import java.util.Map;

import dev.vigil.collectors.agent.SampleSink;
import oshi.software.os.OperatingSystem;

/** Process and thread counts, and uptime. */
public final class SystemSensor implements Sensor {

    private final OperatingSystem os;

    public SystemSensor(OperatingSystem os) {
        this.os = os;
    }

    @Override
    public String name() {
        return "system";
    }

    @Override
    public void read(SampleSink sink) {
        sink.gauge("system.processes.count", "{process}", os.getProcessCount(), Map.of());
        sink.gauge("system.threads.count", "{thread}", os.getThreadCount(), Map.of());
        sink.gauge("system.uptime", "s", os.getSystemUptime(), Map.of());
    }
}
