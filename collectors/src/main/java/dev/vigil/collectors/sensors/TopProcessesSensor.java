package dev.vigil.collectors.sensors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.collectors.agent.SampleSink;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * The top N processes by CPU (over the last interval, not since they started) and by resident memory, as
 * labelled samples ({@code process.cpu.utilization} as a share of one core, {@code process.memory.usage}
 * in bytes). Only the top N are published, so the number of series stays bounded whatever runs.
 */
public final class TopProcessesSensor implements Sensor {

    private final OperatingSystem os;
    private final int topN;
    private Map<Integer, OSProcess> previous = Map.of();

    public TopProcessesSensor(OperatingSystem os, int topN) {
        this.os = os;
        this.topN = topN;
    }

    @Override
    public String name() {
        return "top";
    }

    @Override
    public void read(SampleSink sink) {
        List<OSProcess> processes = os.getProcesses();
        Map<Integer, OSProcess> current = new HashMap<>(processes.size() * 2);
        List<double[]> cpu = new ArrayList<>(); // [index, load]
        for (int i = 0; i < processes.size(); i++) {
            OSProcess process = processes.get(i);
            current.put(process.getProcessID(), process);
            OSProcess before = previous.get(process.getProcessID());
            if (before != null && before.getStartTime() == process.getStartTime()) {
                cpu.add(new double[] {i, process.getProcessCpuLoadBetweenTicks(before)});
            }
        }
        previous = current;
        cpu.sort(Comparator.comparingDouble((double[] entry) -> entry[1]).reversed());
        for (int rank = 0; rank < Math.min(topN, cpu.size()); rank++) {
            OSProcess process = processes.get((int) cpu.get(rank)[0]);
            sink.gauge("process.cpu.utilization", "1", cpu.get(rank)[1], labels(process));
        }
        List<OSProcess> byMemory = new ArrayList<>(processes);
        byMemory.sort(Comparator.comparingLong(OSProcess::getResidentSetSize).reversed());
        for (int rank = 0; rank < Math.min(topN, byMemory.size()); rank++) {
            OSProcess process = byMemory.get(rank);
            sink.gauge("process.memory.usage", "By", process.getResidentSetSize(), labels(process));
        }
    }

    /** No rank label: a process keeps its series while it moves up and down the list. */
    private static Map<String, String> labels(OSProcess process) {
        return Map.of("process.pid", Integer.toString(process.getProcessID()), "process.executable.name", process.getName());
    }
}
