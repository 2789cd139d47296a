package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Pins the topology's shape. Node and store names become changelog topic names and consumer offsets; a
 * change here loses state on upgrade unless it is deliberate, so it must show up as a failing test. If it
 * is deliberate, update topology.txt and say in the release notes how state carries over.
 */
class TopologyDescriptionTest {

    @Test
    void shouldKeepEveryNodeAndStoreNameStable() throws IOException {
        Topics topics = new Topics(AvroSerdes.on(new InMemorySchemaRegistryClient()));
        String described = ScoringTopology.build(TopologySettings.DEFAULT, topics, new SimpleMeterRegistry()).describe().toString();

        String golden;
        try (InputStream in = getClass().getResourceAsStream("/topology.txt")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(described.strip()).isEqualTo(golden.strip());
    }
}
