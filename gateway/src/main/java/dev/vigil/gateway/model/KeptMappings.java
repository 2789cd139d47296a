package dev.vigil.gateway.model;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What a protocol's series were mapped to, kept so that a series seen before is found again instead of mapped again:
 * at most {@code max} of them (a bound on memory, not a cache policy). Remote write keeps them by label bytes, OTLP by
 * fingerprint. Thread-safe.
 *
 * <p><b>When full</b>, a new series is mapped but not kept, until {@link #REFRESH} has passed since the mappings were
 * last forgotten; then they are all forgotten and learnt again from the next requests, so that series which stopped
 * make room for new ones. Forgetting them as soon as it was full made a gateway that receives more series than the
 * bound learn every series again on every request, at three times the cost of a kept one (docs/benchmarks.md);
 * keeping the first ones keeps {@code max} of them found at their old cost.
 *
 * @param <K> what a series is found again by
 * @param <V> what it was mapped to
 */
public final class KeptMappings<K, V> {

    /** How long a full set of mappings stays as it is before it is forgotten and learnt again. */
    public static final Duration REFRESH = Duration.ofMinutes(5);

    private final int max;
    private final LongSupplier nanoTime;
    private final Map<K, V> kept = new ConcurrentHashMap<>();
    /** When the mappings were last forgotten (or made), on {@code nanoTime}'s clock. */
    private volatile long forgottenAt;

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

    /** The mapping kept for {@code key}, or null. */
    public V get(K key) {
        return kept.get(key);
    }

    /**
     * Keeps {@code value} for {@code key} if fewer than {@code max} are kept; if not, only once {@link #REFRESH} has
     * passed since the mappings were last forgotten, forgetting every other one first.
     */
    public void keep(K key, V value) {
        if (max == 0) {
            return;
        }
        if (kept.size() >= max) {
            long now = nanoTime.getAsLong();
            if (now - forgottenAt < REFRESH.toNanos()) {
                return;
            }
            forget();
        }
        kept.put(key, value);
    }

    /** Forgets every mapping: what the series map to may have changed. */
    public void forget() {
        kept.clear();
        forgottenAt = nanoTime.getAsLong();
    }

    /** How many mappings are kept. */
    public int size() {
        return kept.size();
    }
}
