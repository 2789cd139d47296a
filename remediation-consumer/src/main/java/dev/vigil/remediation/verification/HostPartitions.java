package dev.vigil.remediation.verification;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reading the partitions of some hosts in a topic keyed by host id: which partition a host's records are on (what
 * Kafka's producers, the streams application's included, choose for a key), and a consumer that reads assigned
 * partitions, committed records only, without joining a group, and leaves values as bytes so that only the records
 * of the hosts wanted are decoded.
 */
final class HostPartitions {

    private HostPartitions() {
    }

    static int of(String hostId, int partitions) {
        return Utils.toPositive(Utils.murmur2(hostId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    static KafkaConsumer<String, byte[]> reader(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
