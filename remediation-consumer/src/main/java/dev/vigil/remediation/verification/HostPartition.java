package dev.vigil.remediation.verification;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition a host's records are on, in every topic keyed by host id: what Kafka's producers (the streams
 * application's included) choose for a key, so a watch reads one partition of a topic instead of all.
 */
final class HostPartition {

    private HostPartition() {
    }

    static int of(String hostId, int partitions) {
        return Utils.toPositive(Utils.murmur2(hostId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
