package dev.vigil.collectors.sensors;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.vigil.collectors.agent.SampleSink;
import oshi.hardware.NetworkIF;

/** Per interface, per direction: bytes, packets, errors and drops per second. */
public final class NetworkSensor implements Sensor {

    private final DeviceList<NetworkIF> interfaces;

    public NetworkSensor(Supplier<List<NetworkIF>> lister) {
        this.interfaces = new DeviceList<>(lister, NetworkIF::updateAttributes);
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public void read(SampleSink sink) {
        for (NetworkIF nic : interfaces.read()) {
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
