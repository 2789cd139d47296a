package dev.vigil.schemas;

import java.util.Map;
import java.util.Objects;

/**
 * What a Vigil topic is, apart from its serdes: its name, what its key and value carry, who writes and
 * reads it, and how it is stored. Admin tools create topics from this; docs/topics.md describes the same.
 *
 * @param name        topic name
 * @param key         what the record key is, e.g. "host id (string)"
 * @param valueType   the Avro record class of the value
 * @param partitions  default partition count for new clusters
 * @param configs     topic-level settings (retention.ms, cleanup.policy ...)
 * @param producedBy  component that writes it
 * @param consumedBy  components that read it
 */
public record TopicSpec(
        String name,
        String key,
        Class<?> valueType,
        int partitions,
        Map<String, String> configs,
        String producedBy,
        String consumedBy) {

    public TopicSpec {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(key, "key can't be null");
        Objects.requireNonNull(valueType, "valueType can't be null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions + " for " + name);
        }
        configs = Map.copyOf(configs);
        Objects.requireNonNull(producedBy, "producedBy can't be null");
        Objects.requireNonNull(consumedBy, "consumedBy can't be null");
    }
}
