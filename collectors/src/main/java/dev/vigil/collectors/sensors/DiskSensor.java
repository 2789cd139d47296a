package dev.vigil.collectors.sensors;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.vigil.collectors.agent.SampleSink;
import oshi.hardware.HWDiskStore;

/** Bytes and operations per second read and written, per block device. */
public final class DiskSensor implements Sensor {

    /** Re-list devices every so many reads, to see disks attached while running without listing every time. */
    private static final int RELIST_EVERY = 30;

    private final Supplier<List<HWDiskStore>> lister;
    private List<HWDiskStore> disks;
    private int reads;

    public DiskSensor(Supplier<List<HWDiskStore>> lister) {
        this.lister = lister;
    }

    @Override
    public String name() {
        return "disk";
    }

    @Override
    public void read(SampleSink sink) {
        if (disks == null || reads++ % RELIST_EVERY == 0) {
            disks = lister.get();
        } else {
            disks.forEach(HWDiskStore::updateAttributes);
        }
        for (HWDiskStore disk : disks) {
            String device = disk.getName().replace("/dev/", "");
            sink.counter("system.disk.io", "By/s", disk.getReadBytes(), Map.of("device", device, "direction", "read"));
            sink.counter("system.disk.io", "By/s", disk.getWriteBytes(), Map.of("device", device, "direction", "write"));
            sink.counter("system.disk.operations", "{operation}/s", disk.getReads(), Map.of("device", device, "direction", "read"));
            sink.counter("system.disk.operations", "{operation}/s", disk.getWrites(), Map.of("device", device, "direction", "write"));
        }
    }
}
