package dev.vigil.collectors.sensors;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.vigil.collectors.agent.SampleSink;
import oshi.hardware.HWDiskStore;

/** Bytes and operations per second read and written, per block device. */
public final class DiskSensor implements Sensor {

    private final DeviceList<HWDiskStore> disks;

    public DiskSensor(Supplier<List<HWDiskStore>> lister) {
        this.disks = new DeviceList<>(lister, HWDiskStore::updateAttributes);
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public void read(SampleSink sink) {
        for (HWDiskStore disk : disks.read()) {
            String device = disk.getName().replace("/dev/", "");
            sink.counter("system.disk.io", "By/s", disk.getReadBytes(), Map.of("device", device, "direction", "read"));
            sink.counter("system.disk.io", "By/s", disk.getWriteBytes(), Map.of("device", device, "direction", "write"));
            sink.counter("system.disk.operations", "{operation}/s", disk.getReads(), Map.of("device", device, "direction", "read"));
            sink.counter("system.disk.operations", "{operation}/s", disk.getWrites(), Map.of("device", device, "direction", "write"));
        }
    }
}
