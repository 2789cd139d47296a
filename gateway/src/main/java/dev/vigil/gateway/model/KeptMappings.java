package dev.vigil.gateway.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a protocol's series were mapped to, kept so that a series seen before is found again instead of mapped again:
 * at most {@code max} of them, all forgotten at once when full (they are learnt again from the next requests; a bound
 * on memory, not a cache policy). Remote write keeps them by label bytes, OTLP by fingerprint. Thread-safe.
 *
 * @param <K> what a series is found again by
 * @param <V> what it was mapped to
 */
public final class KeptMappings<K, V> {

    private final int max;
    private final Map<K, V> kept = new ConcurrentHashMap<>();

    /**
     * @param max how many mappings are kept; 0: none
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public KeptMappings(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("the number of kept series must not be negative, got " + max);
        }
        this.max = max;
    }

    /** Whether anything is kept at all ({@code max} is not 0): a caller can skip computing keys otherwise. */
    public boolean keeps() {
        return max > 0;
    }

    /** The mapping kept for {@code key}, or null. */
    public V get(K key) {
        return kept.get(key);
    }

    /** Keeps {@code value} for {@code key}, forgetting every other mapping first if {@code max} are kept. */
    public void keep(K key, V value) {
        if (max == 0) {
            return;
        }
        if (kept.size() >= max) {
            kept.clear();
        }
        kept.put(key, value);
    }

    /** Forgets every mapping: what the series map to may have changed. */
    public void forget() {
        kept.clear();
    }

    /** How many mappings are kept. */
    public int size() {
        return kept.size();
    }
}
