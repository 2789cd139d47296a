package dev.vigil.prediction;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one list of metrics with a known ceiling, whose series are watched for running out (docs/alerts.md): what the
 * host agent's sensors and the fleet simulator emit. A utilization is bounded by 1; a count by its limit, which the
 * host reports as a series of its own with the same labels. Metrics that have no ceiling a host can report (network
 * connections: the table's size is a kernel setting no sensor reads yet) are not here.
 */
public final class BoundedMetrics {

    private static final Map<String, BoundedMetric> BY_NAME = List.of(
            BoundedMetric.fixed("system.filesystem.utilization", 1, "filesystem", "full").namedBy("mountpoint"),
            BoundedMetric.fixed("system.memory.utilization", 1, "memory", "full"),
            BoundedMetric.fixed("system.paging.utilization", 1, "swap", "full"),
            BoundedMetric.limitedBy("system.open_files.count", "system.open_files.limit", "open files", "at their limit"))
            .stream().collect(Collectors.toUnmodifiableMap(BoundedMetric::metric, Function.identity()));

    private BoundedMetrics() {
    }

    /** The metric's ceiling and wording, if it has a ceiling. */
    public static Optional<BoundedMetric> of(String metric) {
        return Optional.ofNullable(BY_NAME.get(metric));
    }

    /** Every bounded metric. */
    public static Collection<BoundedMetric> all() {
        return BY_NAME.values();
    }
}
