package dev.vigil.streams.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stable identifiers: the same host, metric and labels give the same id in every process, release and
 * language (the first 8 bytes of SHA-256 over the parts, NUL-separated, labels sorted by name), so ids in
 * ClickHouse, alerts and dashboards line up across restarts.
 */
public final class Fingerprints {

    private static final HexFormat HEX = HexFormat.of();

    private Fingerprints() {
    }

    /** Of one series: {@code sha256(host \0 metric \0 name=value \0 ...)}, 16 hex digits. */
    public static String series(String hostId, String metric, Map<String, String> labels) {
        StringBuilder text = new StringBuilder(hostId).append('\0').append(metric);
        new TreeMap<>(labels).forEach((name, value) -> text.append('\0').append(name).append('=').append(value));
        return digest(text.toString());
    }

    /**
     * Of a series' PREDICTED alerts: {@code sha256("exhaustion" \0 host \0 metric \0 name=value \0 ...)}, 16 hex digits;
     * apart from {@link #series}, so that a series' anomalies and its running out are separate incidents.
     */
    public static String exhaustion(String hostId, String metric, Map<String, String> labels) {
        return series("exhaustion\0" + hostId, metric, labels);
    }

    /** Of a host-level alert: {@code sha256("host" \0 host)}, 16 hex digits. */
    public static String host(String hostId) {
        return digest("host\0" + hostId);
    }

    /** Of a host's HOST_SILENT alerts: {@code sha256("host-silent" \0 host)}, 16 hex digits. */
    public static String hostSilent(String hostId) {
        return digest("host-silent\0" + hostId);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
