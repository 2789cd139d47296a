package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerdes;

class TopicsTest {

    @Test
    void shouldNameEveryTopicOnceUnderTheVigilPrefix() {
        assertThat(Topics.ALL).extracting(TopicSpec::name).doesNotHaveDuplicates().allMatch(name -> name.startsWith("vigil."));
    }

    @Test
    void shouldKeepTheAuditTrailForeverOnOnePartition() {
        assertThat(Topics.REMEDIATION_AUDIT.partitions()).isEqualTo(1);
        assertThat(Topics.REMEDIATION_AUDIT.configs()).containsEntry("retention.ms", "-1");
    }

    @Test
    void shouldKeepTheNewestSilenceAndRetirementByCompaction() {
        assertThat(Topics.SILENCES.configs()).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
        assertThat(Topics.RETIRED_HOSTS.configs()).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
    }

    @Test
    void shouldHandOutTypedTopicsWhoseSerdesRoundTrip() {
        var topics = new Topics(AvroSerdes.on(new InMemorySchemaRegistryClient()));
        MetricBatch batch = MetricBatches.batch("h", 3, 1);

        byte[] bytes = topics.metrics().valueSerde().serializer().serialize(topics.metrics().name(), batch);

        assertThat(topics.metrics().name()).isEqualTo("vigil.metrics");
        assertThat(topics.metrics().valueSerde().deserializer().deserialize(topics.metrics().name(), bytes)).isEqualTo(batch);
    }
}
