package dev.vigil.collectors.sensors;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import dev.vigil.collectors.agent.SampleSink;
import oshi.software.os.InternetProtocolStats;
import oshi.software.os.InternetProtocolStats.IPConnection;
import oshi.software.os.InternetProtocolStats.TcpState;

/** TCP connections (IPv4 and IPv6) by state; every state is reported, zeros included, so series do not come and go. */
public final class TcpSensor implements Sensor {

    private final InternetProtocolStats stats;

    public TcpSensor(InternetProtocolStats stats) {
        this.stats = stats;
    }

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public void read(SampleSink sink) {
        Map<TcpState, Integer> byState = new EnumMap<>(TcpState.class);
        for (TcpState state : TcpState.values()) {
            if (state != TcpState.UNKNOWN && state != TcpState.NONE) {
                byState.put(state, 0);
            }
        }
        for (IPConnection connection : stats.getConnections()) {
            if (connection.getType().startsWith("tcp") && byState.containsKey(connection.getState())) {
                byState.merge(connection.getState(), 1, Integer::sum);
            }
        }
        byState.forEach((state, count) -> sink.gauge("system.network.connections", "{connection}", count,
                Map.of("protocol", "tcp", "state", state.name().toLowerCase(Locale.ROOT))));
    }
}
