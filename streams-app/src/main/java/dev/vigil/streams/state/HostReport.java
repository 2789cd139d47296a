package dev.vigil.streams.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the host-silence watcher keeps of one host (store {@code host-last-report}): when it last reported, on the
 * application's clock, its labels, and its HOST_SILENT alert if one is open. Times are epoch milliseconds; 0 means none.
 *
 * @param lastReport     when the host's last batch was processed, as of the last time this was written (the watcher
 *                       keeps newer reports in memory and writes them only when it looks at the host again)
 * @param silentSince    the start of the open HOST_SILENT alert (the host's last report before it), or 0
 * @param lastAlertEvent when the open alert's last OPENED or UPDATED event went out, for its heartbeat
 * @param indexedAt      the time under which the host is listed in the host-silence index, or 0
 * @param hostLabels     the host's labels, as its collector last reported them
 */
public record HostReport(long lastReport, long silentSince, long lastAlertEvent, long indexedAt, Map<String, String> hostLabels) {

    private static final byte VERSION = 1;

    public HostReport {
        hostLabels = Map.copyOf(hostLabels);
    }

    public boolean alertOpen() {
        return silentSince != 0;
    }

    public HostReport withLastReport(long time, Map<String, String> labels) {
        return new HostReport(time, silentSince, lastAlertEvent, indexedAt, labels);
    }

    public HostReport withAlert(long since, long event) {
        return new HostReport(lastReport, since, event, indexedAt, hostLabels);
    }

    public HostReport withIndexedAt(long time) {
        return new HostReport(lastReport, silentSince, lastAlertEvent, time, hostLabels);
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(lastReport);
            out.writeLong(silentSince);
            out.writeLong(lastAlertEvent);
            out.writeLong(indexedAt);
            out.writeInt(hostLabels.size());
            for (Map.Entry<String, String> label : new TreeMap<>(hostLabels).entrySet()) {
                out.writeUTF(label.getKey());
                out.writeUTF(label.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when {@code bytes} are not an encoded report */
    public static HostReport decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("host report version " + version + ", expected " + VERSION);
            }
            long lastReport = in.readLong();
            long silentSince = in.readLong();
            long lastAlertEvent = in.readLong();
            long indexedAt = in.readLong();
            int labels = in.readInt();
            if (labels < 0 || labels > 10_000) {
                throw new IllegalArgumentException("host report with " + labels + " labels");
            }
            Map<String, String> hostLabels = new TreeMap<>();
            for (int i = 0; i < labels; i++) {
                hostLabels.put(in.readUTF(), in.readUTF());
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("host report with " + in.available() + " bytes left over");
            }
            return new HostReport(lastReport, silentSince, lastAlertEvent, indexedAt, hostLabels);
        } catch (IOException e) {
            throw new IllegalArgumentException("host report cut short: " + e.getMessage(), e);
        }
    }
}
