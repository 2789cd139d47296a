package dev.vigil.sinks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * The twin of {@link ClickHouseSinkIT#shouldWriteEveryTopicToItsTableWithTheValuesProduced} on a current
 * ClickHouse (where TTL, codecs and LowCardinality are switched on), in a container; Kafka and the registry
 * are the local stack's. Skipped where there is no Docker engine, as on the project's own machines, where the
 * twin runs on the local 18.16 server instead.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(LocalStackExtension.class)
class ClickHouseSinkContainerIT {

    @Container
    private static final ClickHouseContainer CLICKHOUSE = new ClickHouseContainer("clickhouse/clickhouse-server:24.8.14.39");

    @Test
    void shouldWriteEveryTopicToItsTableWithTheValuesProducedOnACurrentClickHouse(StackEndpoints stack) throws Exception {
        String url = "http://" + CLICKHOUSE.getHost() + ":" + CLICKHOUSE.getMappedPort(8123);
        try (SinkFixture fixture = new SinkFixture(stack.kafkaBootstrapServers(), stack.schemaRegistryUrl(), url, "it_every_current",
                CLICKHOUSE.getUsername(), CLICKHOUSE.getPassword())) {
            ClickHouseSinkIT.shouldWriteEveryTopic(fixture);
        }
    }
}
