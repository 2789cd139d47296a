package dev.vigil.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.streams.state.DailyProfilePages;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.HostStateCodec;

/**
 * The processor's three state stores, read and written a host at a time: the host's state
 * ({@link ScoringTopology#HOST_STATE_STORE}), its series' daily-profile pages, by slot of the day
 * ({@link ScoringTopology#DAILY_PROFILE_STORE}), and the index of when its earliest open rollup window ends
 * ({@link ScoringTopology#CLOSE_INDEX_STORE}).
 */
final class HostStores {

    private static final Logger log = LoggerFactory.getLogger(HostStores.class);

    private final KeyValueStore<String, byte[]> hosts;
    private final TimeIndex closeIndex;
    private final KeyValueStore<Bytes, byte[]> dailyProfiles;
    private final HostStateCodec codec;
    private final ScoringMetrics metrics;

    HostStores(ProcessorContext<?, ?> context, HostStateCodec codec, ScoringMetrics metrics) {
        this.hosts = context.getStateStore(ScoringTopology.HOST_STATE_STORE);
        this.closeIndex = new TimeIndex(context.getStateStore(ScoringTopology.CLOSE_INDEX_STORE));
        this.dailyProfiles = context.getStateStore(ScoringTopology.DAILY_PROFILE_STORE);
        this.codec = codec;
        this.metrics = metrics;
    }

    /** The host's daily-profile pages, read and written through as its detectors need them. */
    DailyProfilePages profilesOf(String hostId) {
        return new DailyProfilePages(new DailyProfilePages.Source() {
            @Override
            public byte[] get(int slot) {
                return dailyProfiles.get(profileKey(hostId, slot));
            }

            @Override
            public void put(int slot, byte[] page) {
                dailyProfiles.put(profileKey(hostId, slot), page);
            }
        });
    }

    /** The host's state, or an empty one for a host not seen before (or whose state cannot be read). */
    HostState load(String hostId, DailyProfilePages profiles) {
        byte[] bytes = hosts.get(hostId);
        if (bytes == null) {
            return HostState.empty();
        }
        try {
            return codec.decode(bytes, profiles);
        } catch (IllegalArgumentException e) {
            // Only a bug or a foreign writer can cause this; carrying on with a fresh state loses what the
            // detectors learned about this host but keeps the pipeline running. Loud on purpose.
            metrics.stateUnreadable.increment();
            log.error("State of host {} is unreadable ({}); starting it afresh", hostId, e.getMessage());
            for (int slot = 0; slot < DailyProfilePages.PAGES; slot++) {
                dailyProfiles.delete(profileKey(hostId, slot)); // the new series would inherit old profiles
            }
            return HostState.empty();
        }
    }

    /** Writes the host back and keeps its entry in the close index at its earliest open window's end. */
    void save(String hostId, HostState host, DailyProfilePages profiles) {
        profiles.flush();
        long earliest = host.earliestWindowEnd(RollupWindows.MINUTE, RollupWindows.HOUR);
        long indexed = host.closeIndexedAt();
        if (earliest != indexed) {
            if (indexed != 0) {
                closeIndex.delete(indexed, hostId);
            }
            if (earliest != Long.MAX_VALUE) {
                closeIndex.put(earliest, hostId);
            }
            host.closeIndexedAt(earliest == Long.MAX_VALUE ? 0 : earliest);
        }
        hosts.put(hostId, codec.encode(host));
    }

    /** Up to {@code max} hosts with a rollup window that ends by {@code dueBy}, the longest due first. */
    List<String> hostsWithWindowsEndingBy(long dueBy, int max) {
        return closeIndex.dueBy(dueBy, max).stream().map(TimeIndex.Entry::hostId).toList();
    }

    /** Host id then the slot in two bytes; the key's length tells where the host id ends. */
    static Bytes profileKey(String hostId, int slot) {
        byte[] host = hostId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(host.length + Short.BYTES).put(host).putShort((short) slot).array());
    }
}
