package dev.vigil.gateway.prometheus;

import java.util.List;
import java.util.Map;

/** A {@code {targets: [host:port ...], labels: {...}}} group, from {@code static_configs} or a discovery file. */
public record TargetGroup(List<String> targets, Map<String, String> labels) {
    public TargetGroup {
        targets = List.copyOf(targets);
        labels = Map.copyOf(labels);
    }
}
