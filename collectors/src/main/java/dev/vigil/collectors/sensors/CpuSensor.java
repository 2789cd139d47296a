package dev.vigil.collectors.sensors;

import java.util.Locale;
import java.util.Map;

import dev.vigil.collectors.agent.SampleSink;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;

/**
 * CPU utilization, total and per mode ({@code system.cpu.utilization}, ratio 0..1 of all logical CPUs),
 * from the kernel's tick counters between two reads, and the 1, 5 and 15 minute load averages. The first
 * read only remembers the ticks: there is no interval to compute a utilization over yet.
 */
public final class CpuSensor implements Sensor {

    private final CentralProcessor processor;
    private long[] previousTicks;

    public CpuSensor(CentralProcessor processor) {
        this.processor = processor;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void read(SampleSink sink) {
        long[] ticks = processor.getSystemCpuLoadTicks();
        if (previousTicks != null) {
            long total = 0;
            long[] delta = new long[ticks.length];
            for (int i = 0; i < ticks.length; i++) {
                delta[i] = Math.max(0, ticks[i] - previousTicks[i]);
                total += delta[i];
            }
            if (total > 0) {
                for (TickType mode : TickType.values()) {
                    sink.gauge("system.cpu.utilization", "1", (double) delta[mode.getIndex()] / total,
                            Map.of("state", mode.name().toLowerCase(Locale.ROOT)));
                }
                long idle = delta[TickType.IDLE.getIndex()] + delta[TickType.IOWAIT.getIndex()];
                sink.gauge("system.cpu.utilization", "1", (double) (total - idle) / total, Map.of("state", "total"));
            }
        }
        previousTicks = ticks;
        double[] load = processor.getSystemLoadAverage(3);
        String[] windows = {"1m", "5m", "15m"};
        for (int i = 0; i < windows.length; i++) {
            if (load[i] >= 0) { // negative: not available on this platform
                sink.gauge("system.cpu.load_average." + windows[i], "{thread}", load[i], Map.of());
            }
        }
        sink.gauge("system.cpu.logical.count", "{cpu}", processor.getLogicalProcessorCount(), Map.of());
    }
}
