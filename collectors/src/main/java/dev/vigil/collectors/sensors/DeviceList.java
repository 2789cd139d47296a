package dev.vigil.collectors.sensors;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Devices a sensor reads every tick (disks, network interfaces): listed afresh every so many reads, to
 * see devices that come and go without paying for a full listing each time, and refreshed in between.
 */
final class DeviceList<T> {

    private static final int RELIST_EVERY = 30;

    private final Supplier<List<T>> lister;
    private final Consumer<T> refresh;
    private List<T> devices;
    private int reads;

    DeviceList(Supplier<List<T>> lister, Consumer<T> refresh) {
        this.lister = lister;
        this.refresh = refresh;
    }

    /** The devices with current counters. */
    List<T> read() {
        if (devices == null || reads++ % RELIST_EVERY == 0) {
            devices = lister.get();
        } else {
            devices.forEach(refresh);
        }
        return devices;
    }
}
