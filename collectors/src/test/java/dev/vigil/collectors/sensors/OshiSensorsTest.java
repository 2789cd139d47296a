package dev.vigil.collectors.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.vigil.avro.Sample;
import dev.vigil.collectors.agent.SampleSink;
import dev.vigil.runtime.metrics.RateTracker;
import oshi.SystemInfo;

/** The sensors on this very machine: what they read must make sense. */
class OshiSensorsTest {

    private static SystemInfo system;

    @BeforeAll
    static void probe() {
        system = new SystemInfo();
    }

    private static List<Sample> readTwice(Sensor sensor) throws InterruptedException {
        RateTracker rates = new RateTracker();
        SampleSink first = new SampleSink(rates, System.nanoTime());
        sensor.read(first);
        Thread.sleep(300);
        SampleSink second = new SampleSink(rates, System.nanoTime());
        sensor.read(second);
        return second.samples();
    }

    private static Optional<Sample> find(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.getName().equals(name) && s.getLabels().entrySet().containsAll(labels.entrySet())).findFirst();
    }

    @Test
    void shouldReportCpuUtilizationOnlyOnceThereIsAnInterval() throws InterruptedException {
        CpuSensor cpu = new CpuSensor(system.getHardware().getProcessor());
        SampleSink first = new SampleSink(new RateTracker(), 0);
        cpu.read(first);

        assertThat(find(first.samples(), "system.cpu.utilization", Map.of())).isEmpty();
        List<Sample> samples = readTwice(new CpuSensor(system.getHardware().getProcessor()));
        assertThat(find(samples, "system.cpu.utilization", Map.of("state", "total"))).hasValueSatisfying(
                total -> assertThat(total.getValue()).isBetween(0.0, 1.0));
        assertThat(samples.stream().filter(s -> s.getName().equals("system.cpu.utilization") && !s.getLabels().get("state").equals("total"))
                .mapToDouble(Sample::getValue).sum()).as("the modes add up to the whole").isCloseTo(1.0, within(0.01));
    }

    @Test
    void shouldReportMemoryUsedBelowTheLimit() throws InterruptedException {
        List<Sample> samples = readTwice(new MemorySensor(system.getHardware().getMemory()));

        double used = find(samples, "system.memory.usage", Map.of("state", "used")).orElseThrow().getValue();
        double limit = find(samples, "system.memory.limit", Map.of()).orElseThrow().getValue();
        assertThat(used).isPositive().isLessThanOrEqualTo(limit);
    }

    @Test
    void shouldReportRealFilesystemsButNoPseudoOnes() throws InterruptedException {
        List<Sample> samples = readTwice(new FileSystemSensor(system.getOperatingSystem().getFileSystem()));

        List<Sample> utilization = samples.stream().filter(s -> s.getName().equals("system.filesystem.utilization")).toList();
        assertThat(utilization).isNotEmpty().allSatisfy(s -> {
            assertThat(s.getValue()).isBetween(0.0, 1.0);
            assertThat(FileSystemSensor.PSEUDO_TYPES).doesNotContain(s.getLabels().get("type"));
        });
        assertThat(find(samples, "system.open_files.count", Map.of())).hasValueSatisfying(s -> assertThat(s.getValue()).isPositive());
    }

    @Test
    void shouldReportNetworkAndDiskRatesOnTheSecondRead() throws InterruptedException {
        var hardware = system.getHardware();
        List<Sample> network = readTwice(new NetworkSensor(() -> hardware.getNetworkIFs(false)));
        List<Sample> disks = readTwice(new DiskSensor(hardware::getDiskStores));

        assertThat(network).filteredOn(s -> s.getName().equals("system.network.io")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.getValue()).isGreaterThanOrEqualTo(0));
        assertThat(disks).allSatisfy(s -> assertThat(s.getValue()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void shouldReportCountsTcpStatesAndTopProcesses() throws InterruptedException {
        var os = system.getOperatingSystem();
        List<Sample> counts = readTwice(new SystemSensor(os));
        List<Sample> tcp = readTwice(new TcpSensor(os.getInternetProtocolStats()));
        List<Sample> top = readTwice(new TopProcessesSensor(os, 3));

        assertThat(find(counts, "system.processes.count", Map.of())).hasValueSatisfying(s -> assertThat(s.getValue()).isGreaterThan(1));
        assertThat(find(counts, "system.uptime", Map.of())).hasValueSatisfying(s -> assertThat(s.getValue()).isPositive());
        assertThat(find(tcp, "system.network.connections", Map.of("state", "listen"))).isPresent();
        assertThat(top.stream().filter(s -> s.getName().equals("process.memory.usage"))).hasSize(3);
        assertThat(top.stream().filter(s -> s.getName().equals("process.cpu.utilization"))).hasSize(3)
                .allSatisfy(s -> assertThat(s.getLabels()).containsKeys("process.pid", "process.executable.name"));
    }
}
