package dev.vigil.collectors.simulator;

import java.util.List;
import java.util.Map;

import dev.vigil.avro.MetricKind;

/**
 * The shape of one kind of simulated series: where it sits, how it swings over a day and a week, how
 * noisy and how it drifts, and the range it cannot leave. Each simulated series draws its own level and
 * phases around these.
 *
 * @param trendPerDay drift of the level per day, as a fraction of the level
 */
record MetricTemplate(String name, Map<String, String> labels, String unit, MetricKind kind, double level, double dailyAmplitude,
                      double weeklyAmplitude, double noise, double trendPerDay, double min, double max) {

    /** Host-like series, cycled through when a host has more metrics than templates. */
    static final List<MetricTemplate> ALL = List.of(
            new MetricTemplate("system.cpu.utilization", Map.of("state", "total"), "1", MetricKind.GAUGE, 0.35, 0.20, 0.05, 0.03, 0, 0, 1),
            new MetricTemplate("system.memory.utilization", Map.of(), "1", MetricKind.GAUGE, 0.60, 0.05, 0.02, 0.01, 0.002, 0, 1),
            new MetricTemplate("system.network.io", Map.of("direction", "receive"), "By/s", MetricKind.COUNTER, 5e6, 3e6, 1e6, 4e5, 0, 0, 1.25e9),
            new MetricTemplate("system.disk.io", Map.of("direction", "write"), "By/s", MetricKind.COUNTER, 2e6, 1e6, 3e5, 3e5, 0, 0, 2e9),
            new MetricTemplate("system.cpu.load_average.1m", Map.of(), "{thread}", MetricKind.GAUGE, 2.0, 1.2, 0.3, 0.25, 0, 0, 256),
            new MetricTemplate("system.network.connections", Map.of("protocol", "tcp", "state", "established"), "{connection}",
                    MetricKind.GAUGE, 300, 150, 40, 15, 0, 0, 65_535),
            new MetricTemplate("system.filesystem.utilization", Map.of("mountpoint", "/"), "1", MetricKind.GAUGE, 0.50, 0.005, 0, 0.001,
                    0.003, 0, 1),
            new MetricTemplate("http.server.request.duration", Map.of("route", "/api"), "s", MetricKind.GAUGE, 0.12, 0.04, 0.01, 0.01, 0, 0,
                    60),
            new MetricTemplate("http.server.requests", Map.of("route", "/api"), "{request}/s", MetricKind.COUNTER, 800, 500, 150, 40, 0.01,
                    0, 1e6),
            new MetricTemplate("http.server.errors", Map.of("route", "/api"), "{error}/s", MetricKind.COUNTER, 2, 1, 0.3, 0.5, 0, 0, 1e5));
}
