package dev.vigil.sinks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.tables.SinkTable;

/** Where each partition's records stand in ClickHouse: the sinks' exactly-once bookkeeping, read back. */
final class OffsetQueries {

    private OffsetQueries() {
    }

    /**
     * One past the highest offset stored per partition, for the partitions given; partitions with no row are
     * left out. One {@code GROUP BY} per table: a scan of two small columns, done only on assignment.
     */
    static Map<TopicPartition, Long> storedPositions(ClickHouse clickHouse, Map<String, TableBatch> batchesByTopic,
                                                     Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        for (String topic : topics) {
            SinkTable<?> table = batchesByTopic.get(topic).table;
            for (String line : clickHouse.lines("SELECT " + SinkTable.PARTITION_COLUMN + ", max(" + SinkTable.OFFSET_COLUMN + ") FROM "
                    + clickHouse.database() + "." + table.name() + " GROUP BY " + SinkTable.PARTITION_COLUMN)) {
                String[] columns = line.split("\t");
                TopicPartition partition = new TopicPartition(topic, Integer.parseInt(columns[0]));
                if (partitions.contains(partition)) {
                    positions.put(partition, Long.parseLong(columns[1]) + 1);
                }
            }
        }
        return positions;
    }
}
