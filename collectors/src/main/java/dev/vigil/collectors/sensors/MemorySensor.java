package dev.vigil.collectors.sensors;

import java.util.Map;

import dev.vigil.collectors.agent.SampleSink;
import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;

/** Memory and swap in bytes by state, and memory utilization (used / total). */
public final class MemorySensor implements Sensor {

    private final GlobalMemory memory;

    public MemorySensor(GlobalMemory memory) {
        this.memory = memory;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void read(SampleSink sink) {
        long total = memory.getTotal();
        long available = memory.getAvailable();
        long used = total - available;
        sink.gauge("system.memory.usage", "By", used, Map.of("state", "used"));
        sink.gauge("system.memory.usage", "By", available, Map.of("state", "available"));
        sink.gauge("system.memory.limit", "By", total, Map.of());
        if (total > 0) {
            sink.gauge("system.memory.utilization", "1", (double) used / total, Map.of());
        }
        VirtualMemory swap = memory.getVirtualMemory();
        long swapTotal = swap.getSwapTotal();
        long swapUsed = swap.getSwapUsed();
        sink.gauge("system.paging.usage", "By", swapUsed, Map.of("state", "used"));
        sink.gauge("system.paging.usage", "By", swapTotal - swapUsed, Map.of("state", "free"));
        if (swapTotal > 0) {
            sink.gauge("system.paging.utilization", "1", (double) swapUsed / swapTotal, Map.of());
        }
    }
}
