package dev.vigil.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store of (time, host id) keys with no values: which hosts have something due at which time, so that a
 * punctuation reads only the hosts that are due instead of scanning every host. The rollup close index and the
 * host-silence index are two of them.
 */
final class TimeIndex {

    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<Bytes, byte[]> store;

    TimeIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    void put(long time, String hostId) {
        store.put(key(time, hostId), NOTHING);
    }

    void delete(long time, String hostId) {
        store.delete(key(time, hostId));
    }

    /** One host listed under one time. */
    record Entry(long time, String hostId) {
    }

    /** Up to {@code max} entries at {@code dueBy} or earlier, the longest due first. */
    List<Entry> dueBy(long dueBy, int max) {
        List<Entry> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.range(key(0, ""), upperBound(dueBy))) {
            while (entries.hasNext() && due.size() < max) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                ByteBuffer key = ByteBuffer.wrap(entry.key.get());
                long time = key.getLong();
                due.add(new Entry(time, StandardCharsets.UTF_8.decode(key).toString()));
            }
        }
        return due;
    }

    /** The time first, big-endian, so a range scan returns the hosts that are due, oldest first. */
    static Bytes key(long time, String hostId) {
        byte[] host = hostId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + host.length).putLong(time).put(host).array());
    }

    private static Bytes upperBound(long time) {
        // Host ids are printable ASCII, so 0xFF after the time sorts above every host id at that time.
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + 1).putLong(time).put((byte) 0xFF).array());
    }
}
