package dev.vigil.schemas;

import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;

/**
 * A Vigil topic with the serdes of its keys and values: everything a producer, consumer or topology
 * needs to use it correctly.
 *
 * @param spec       name, storage settings and ownership
 * @param keySerde   serde of record keys
 * @param valueSerde serde of record values
 * @param <K>        key type
 * @param <V>        value type
 */
public record Topic<K, V>(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(spec, "spec can't be null");
        Objects.requireNonNull(keySerde, "keySerde can't be null");
        Objects.requireNonNull(valueSerde, "valueSerde can't be null");
    }

    /** The topic's name. */
    public String name() {
        return spec.name();
    }
}
