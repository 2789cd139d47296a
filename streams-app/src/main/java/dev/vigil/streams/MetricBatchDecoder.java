package dev.vigil.streams;

import org.apache.kafka.common.serialization.Deserializer;

import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.schemas.serde.DecodeFailure;

/**
 * Turns a {@code vigil.metrics} record's bytes into a {@link MetricBatch} the processor can take, or says why the
 * record is refused. The processor reads raw bytes and decodes them here, so that a record it cannot decode becomes
 * a dead letter inside the same exactly-once transaction, instead of an exception that stops the application.
 */
final class MetricBatchDecoder {

    /** What became of a record: a batch, or a refusal. */
    sealed interface Result permits Decoded, Refused {
    }

    record Decoded(MetricBatch batch) implements Result {
    }

    /** @param reason the dead letter's reason; {@code message} names what was wrong */
    record Refused(DeadLetterReason reason, String message) implements Result {
    }

    private final Deserializer<MetricBatch> batches;

    MetricBatchDecoder(Deserializer<MetricBatch> batches) {
        this.batches = batches;
    }

    /**
     * @throws SchemaRegistryException when the registry, not the record, is at fault (the writer schema cannot be
     *                                 fetched, {@link DecodeFailure}): the record must be read again later, not refused
     */
    Result decode(String topic, String key, byte[] value) {
        if (value == null || value.length == 0) {
            return new Refused(DeadLetterReason.EMPTY, "record has no value");
        }
        MetricBatch batch;
        try {
            batch = batches.deserialize(topic, value);
        } catch (RuntimeException e) {
            DecodeFailure failure = DecodeFailure.of(e, "MetricBatch");
            if (failure instanceof DecodeFailure.RegistryUnavailable unavailable) {
                throw unavailable.cause();
            }
            DecodeFailure.BadRecord bad = (DecodeFailure.BadRecord) failure;
            return new Refused(bad.reason(), bad.message());
        }
        if (batch.getHostId().isBlank()) {
            return new Refused(DeadLetterReason.INVALID_BATCH, "hostId is blank");
        }
        if (!batch.getHostId().equals(key)) {
            // A batch keyed otherwise may sit on another partition than its host's state: refuse it rather
            // than split a host's state across tasks.
            return new Refused(DeadLetterReason.KEY_MISMATCH, "record key " + (key == null ? "null" : "'" + key + "'")
                    + " is not the batch's hostId '" + batch.getHostId() + "'");
        }
        if (batch.getCollectedAt().toEpochMilli() <= 0) {
            return new Refused(DeadLetterReason.INVALID_BATCH, "collectedAt " + batch.getCollectedAt() + " is not after 1970");
        }
        return new Decoded(batch);
    }
}
