package dev.vigil.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes cannot be decoded: the data itself is bad, so retrying will not help and the record
 * belongs in the dead-letter topic. {@link #reason()} names the kind of damage for metrics and for the
 * dead letter.
 */
public final class InvalidPayloadException extends SerializationException {

    /** What was wrong with the bytes. */
    public enum Reason {
        /** Null or zero-length value where a record was expected. */
        EMPTY,
        /** Fewer than the five header bytes of the Confluent wire format. */
        TRUNCATED_HEADER,
        /** The first byte is not the wire format's magic byte 0. */
        BAD_MAGIC_BYTE,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The writer's schema cannot be read as the reader's type. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body ends before the writer schema says it should. */
        TRUNCATED_BODY,
        /** Bytes remain after the record: the header's schema does not describe this body. */
        TRAILING_BYTES,
        /** The Avro body is malformed in some other way (bad lengths, bad union index ...). */
        MALFORMED_BODY
    }

    private final Reason reason;

    public InvalidPayloadException(Reason reason, String message) {
        this(reason, message, null);
    }

    public InvalidPayloadException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** The kind of damage. */
    public Reason reason() {
        return reason;
    }
}
