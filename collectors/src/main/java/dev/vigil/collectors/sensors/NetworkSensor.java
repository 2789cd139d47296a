package dev.vigil.collectors.sensors;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.vigil.collectors.agent.SampleSink;
import oshi.hardware.NetworkIF;

/** Per interface, per direction: bytes, packets, errors and drops per second. */
public final class NetworkSensor implements Sensor {

    private static final int RELIST_EVERY = 30;

    private final Supplier<List<NetworkIF>> lister;
    private List<NetworkIF> interfaces;
    private int reads;

    public NetworkSensor(Supplier<List<NetworkIF>> lister) {
        this.lister = lister;
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public void read(SampleSink sink) {
        if (interfaces == null || reads++ % RELIST_EVERY == 0) {
            interfaces = lister.get();
        } else {
            interfaces.forEach(NetworkIF::updateAttributes);
        }
        for (NetworkIF nic : interfaces) {
            String device = nic.getName();
            Map<String, String> in = Map.of("device", device, "direction", "receive");
            Map<String, String> out = Map.of("device", device, "direction", "transmit");
            sink.counter("system.network.io", "By/s", nic.getBytesRecv(), in);
            sink.counter("system.network.io", "By/s", nic.getBytesSent(), out);
            sink.counter("system.network.packets", "{packet}/s", nic.getPacketsRecv(), in);
            sink.counter("system.network.packets", "{packet}/s", nic.getPacketsSent(), out);
            sink.counter("system.network.errors", "{error}/s", nic.getInErrors(), in);
            sink.counter("system.network.errors", "{error}/s", nic.getOutErrors(), out);
            sink.counter("system.network.dropped", "{packet}/s", nic.getInDrops(), in);
        }
    }
}
