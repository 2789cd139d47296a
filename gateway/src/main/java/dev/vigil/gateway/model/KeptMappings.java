package dev.vigil.gateway.model;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * What a protocol's series were mapped to, kept so that a series seen before is found again by its
 * {@link Fingerprint} instead of mapped again: at most {@code max} of them (a bound on memory, not a cache policy).
 * Remote write keeps them by the fingerprint of their label bytes, OTLP by that of resource, name and attributes.
 * Thread-safe: lookups take no lock, keeping takes one (a series is kept once, then found on every request).
 *
 * <p><b>When full</b>, a new series is mapped but not kept, until {@link #REFRESH} has passed since the mappings were
 * last forgotten; then they are all forgotten and learnt again from the next requests, so that series which stopped
 * make room for new ones. Forgetting them as soon as it was full made a gateway that receives more series than the
 * bound map nearly every series afresh on every request, at three times the cost of a kept one (docs/benchmarks.md);
 * keeping the first ones keeps {@code max} of them found at their old cost.
 *
 * <p><b>The table</b> is open addressing over the fingerprints, at most half full, so that a lookup is one slot and
 * the fingerprint and value it holds (a hash map's node, its key object and the key's bytes were most of the
 * gateway's cache misses per sample). It grows by doubling under the lock and is published whole.
 *
 * @param <V> what a series was mapped to
 */
public final class KeptMappings<V> {

    /** How long a full set of mappings stays as it is before it is forgotten and learnt again. */
    public static final Duration REFRESH = Duration.ofMinutes(5);

    private static final int FIRST_SLOTS = 1 << 10;

    /** A kept mapping: the fingerprint it is found by and what it maps to. */
    private record Kept<V>(long first, long second, V value) {
    }

    private final int max;
    private final LongSupplier nanoTime;
    /** Replaced whole when it grows or is forgotten; slots are written under the lock, read without it. */
    private volatile AtomicReferenceArray<Kept<V>> slots = new AtomicReferenceArray<>(FIRST_SLOTS);
    private volatile int size;
    /** When the mappings were last forgotten (or made), on {@code nanoTime}'s clock; under the lock. */
    private long forgottenAt;

    /**
     * @param max how many mappings are kept; 0: none
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public KeptMappings(int max) {
        this(max, System::nanoTime);
    }

    /** As {@link #KeptMappings(int)}, with its clock ({@link System#nanoTime()} otherwise). */
    KeptMappings(int max, LongSupplier nanoTime) {
        if (max < 0) {
            throw new IllegalArgumentException("the number of kept series must not be negative, got " + max);
        }
        this.max = max;
        this.nanoTime = nanoTime;
        this.forgottenAt = nanoTime.getAsLong();
    }

    /** Whether anything is kept at all ({@code max} is not 0): a caller can skip computing keys otherwise. */
    public boolean keeps() {
        return max > 0;
    }

    /** The mapping kept for {@code key} (a {@link Fingerprint#finished()} one), or null. */
    public V get(Fingerprint key) {
        AtomicReferenceArray<Kept<V>> table = slots;
        int mask = table.length() - 1;
        // At most half full: an empty slot ends every search.
        for (int i = slot(key.first(), mask); ; i = (i + 1) & mask) {
            Kept<V> kept = table.get(i);
            if (kept == null) {
                return null;
            }
            if (kept.first == key.first() && kept.second == key.second()) {
                return kept.value;
            }
        }
    }

    /**
     * Keeps {@code value} for {@code key} if fewer than {@code max} are kept; if not, only once {@link #REFRESH} has
     * passed since the mappings were last forgotten, forgetting every other one first.
     */
    public synchronized void keep(Fingerprint key, V value) {
        if (max == 0) {
            return;
        }
        if (size >= max) {
            if (nanoTime.getAsLong() - forgottenAt < REFRESH.toNanos()) {
                return;
            }
            forget();
        }
        AtomicReferenceArray<Kept<V>> table = slots;
        if (2L * (size + 1) > table.length()) {
            table = grown(table);
            slots = table;
        }
        if (put(table, new Kept<>(key.first(), key.second(), value))) {
            size++;
        }
    }

    /** Forgets every mapping: what the series map to may have changed. */
    public synchronized void forget() {
        slots = new AtomicReferenceArray<>(FIRST_SLOTS);
        size = 0;
        forgottenAt = nanoTime.getAsLong();
    }

    /** How many mappings are kept. */
    public int size() {
        return size;
    }

    /** Puts {@code kept} in its slot, or over the mapping of the same fingerprint; whether it took a new slot. */
    private static <V> boolean put(AtomicReferenceArray<Kept<V>> table, Kept<V> kept) {
        int mask = table.length() - 1;
        for (int i = slot(kept.first, mask); ; i = (i + 1) & mask) {
            Kept<V> there = table.get(i);
            if (there == null || (there.first == kept.first && there.second == kept.second)) {
                table.set(i, kept);
                return there == null;
            }
        }
    }

    private static <V> AtomicReferenceArray<Kept<V>> grown(AtomicReferenceArray<Kept<V>> table) {
        AtomicReferenceArray<Kept<V>> bigger = new AtomicReferenceArray<>(table.length() * 2);
        for (int i = 0; i < table.length(); i++) {
            Kept<V> kept = table.get(i);
            if (kept != null) {
                put(bigger, kept);
            }
        }
        return bigger;
    }

    /** The first slot to look in: a finished fingerprint is already mixed, so its low bits will do. */
    private static int slot(long first, int mask) {
        return (int) first & mask;
    }
}
