package dev.vigil.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import dev.vigil.schemas.Topics;
import dev.vigil.stack.StackEndpoints;

/**
 * What the end-to-end tests share, running one after another on the one local stack of the module: the audit trail's
 * key, and a way to leave the pipeline's topics as they found them.
 */
final class SharedStack {

    /**
     * The key of the one audit trail on the stack. Every remediation consumer started here reads the whole trail back and
     * refuses to start on one it cannot verify, so all of them must sign with the same key.
     */
    static final String AUDIT_KEY = "faults-it-audit-key-faults-it-audit-key-0123";

    /**
     * The topics a test feeding the pipeline writes to. PipelineFaultsIT counts every record it finds there, so a test that
     * feeds its own hosts empties them before and after. (The audit trail is never emptied: that would be tampering.)
     */
    static final List<String> PIPELINE_TOPICS = List.of(Topics.METRICS.name(), Topics.SCORES.name(), Topics.ROLLUPS.name(),
            Topics.FORECASTS.name(), Topics.ALERTS.name(), Topics.DEAD_LETTERS.name());

    private SharedStack() {
    }

    /** Deletes every record of {@code topics}. */
    static void empty(StackEndpoints stack, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
                topic.partitions().forEach(partition -> ends.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(ends).all().get().forEach((partition, end) -> delete.put(partition, RecordsToDelete.beforeOffset(end.offset())));
            admin.deleteRecords(delete).all().get();
        }
    }
}
