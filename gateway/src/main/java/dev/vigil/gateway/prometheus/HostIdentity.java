package dev.vigil.gateway.prometheus;

import java.util.List;
import java.util.Map;

import dev.vigil.schemas.MetricContract;

/**
 * Which label of a Prometheus series names the host, and how: the first present of the gateway's
 * {@code gateway.host.attributes} (by default {@code instance} is the one Prometheus series have), its port stripped:
 * Prometheus sets {@code instance} to the target's {@code host:port}, and one host runs several exporters
 * (node_exporter on 9100, an application on 8080) whose series belong to the same host.
 *
 * @param labels    the labels that may hold the host id, in order of preference
 * @param stripPort whether to drop a trailing {@code :port} ({@code [::1]:9100} becomes {@code ::1})
 */
public record HostIdentity(List<String> labels, boolean stripPort) {

    public HostIdentity {
        labels = List.copyOf(labels);
    }

    /** The label that named the host of a series with these labels, or null. */
    public String labelOf(Map<String, String> seriesLabels) {
        for (String label : labels) {
            String value = seriesLabels.get(label);
            if (value != null && !value.isEmpty()) {
                return label;
            }
        }
        return null;
    }

    /** The host id of a series with these labels, or null when the label is missing or not a host id. */
    public String hostOf(Map<String, String> seriesLabels) {
        String label = labelOf(seriesLabels);
        return label == null ? null : hostIn(seriesLabels.get(label));
    }

    /** The host id a value of the host label names (its port stripped if so set), or null when it is not a host id. */
    public String hostIn(String labelValue) {
        String host = stripPort ? withoutPort(labelValue) : labelValue;
        return MetricContract.isHostId(host) ? host : null;
    }

    static String withoutPort(String address) {
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            return close > 0 ? address.substring(1, close) : address;
        }
        int colon = address.lastIndexOf(':');
        // More than one colon without brackets is a bare IPv6 address: no port to strip.
        if (colon > 0 && address.indexOf(':') == colon && colon < address.length() - 1 && digitsAfter(address, colon)) {
            return address.substring(0, colon);
        }
        return address;
    }

    private static boolean digitsAfter(String address, int colon) {
        for (int i = colon + 1; i < address.length(); i++) {
            if (!Character.isDigit(address.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
