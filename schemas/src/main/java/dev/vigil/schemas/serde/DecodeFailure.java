package dev.vigil.schemas.serde;

import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.registry.SchemaRegistryException;

/**
 * What a failed decode means for the record, decided in this one place for every consumer: either the schema
 * registry could not answer for the record's writer schema (an outage: read the record again later, never
 * dead-letter it), or the record itself is bad (dead-letter it, with the reason).
 */
public sealed interface DecodeFailure {

    /** The registry did not answer; the record is not at fault. */
    record RegistryUnavailable(SchemaRegistryException cause) implements DecodeFailure {
    }

    /** The record cannot be read, whenever it is tried: it belongs in the dead-letter topic. */
    record BadRecord(DeadLetterReason reason, String message) implements DecodeFailure {
    }

    /**
     * Classifies what decoding threw: the outermost {@link InvalidPayloadException} or {@link SchemaRegistryException}
     * in its cause chain decides (so a consumer's {@code RecordDeserializationException} can be passed as it is);
     * anything else is a bad record, {@link DeadLetterReason#UNDECODABLE}.
     *
     * @param valueType what the record should have decoded to, for the message
     */
    static DecodeFailure of(Throwable failure, String valueType) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidPayloadException invalid) {
                return new BadRecord(invalid.reason(), invalid.getMessage());
            }
            if (cause instanceof SchemaRegistryException registry) {
                return new RegistryUnavailable(registry);
            }
        }
        return new BadRecord(DeadLetterReason.UNDECODABLE, "cannot decode as " + valueType + ": " + failure);
    }
}
