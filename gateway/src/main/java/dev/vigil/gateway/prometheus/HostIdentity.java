package dev.vigil.gateway.prometheus;

import java.util.Map;
import java.util.Objects;

import dev.vigil.schemas.MetricContract;

/**
 * Which label of a Prometheus series names the host, and how. By default {@code instance}, with its port stripped:
 * Prometheus sets {@code instance} to the target's {@code host:port}, and one host runs several exporters
 * (node_exporter on 9100, an application on 8080) whose series belong to the same host.
 *
 * @param label     the label holding the host id
 * @param stripPort whether to drop a trailing {@code :port} ({@code [::1]:9100} becomes {@code ::1})
 */
public record HostIdentity(String label, boolean stripPort) {

    public HostIdentity {
        Objects.requireNonNull(label, "label can't be null");
        if (!MetricContract.isLabelName(label)) {
            throw new IllegalArgumentException("host label '" + label + "' is not a label name");
        }
    }

    /** The host id of a series with these labels, or null when the label is missing or not a host id. */
    public String hostOf(Map<String, String> labels) {
        String value = labels.get(label);
        if (value == null || value.isEmpty()) {
            return null;
        }
        String host = stripPort ? withoutPort(value) : value;
        return MetricContract.isHostId(host) ? host : null;
    }

    static String withoutPort(String address) {
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            return close > 0 ? address.substring(1, close) : address;
        }
        int colon = address.lastIndexOf(':');
        // More than one colon without brackets is a bare IPv6 address: no port to strip.
        if (colon > 0 && address.indexOf(':') == colon && colon < address.length() - 1
                && address.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return address.substring(0, colon);
        }
        return address;
    }
}
