package dev.vigil.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

import dev.vigil.schemas.deadletter.DeadLetterReason;

/**
 * A record's bytes cannot be decoded: the data itself is bad, so retrying will not help and the record
 * belongs in the dead-letter topic. {@link #reason()} names the kind of damage (one of the wire-format and
 * Avro reasons of {@link DeadLetterReason}, {@code EMPTY} to {@code MALFORMED_BODY}) for metrics and for the
 * dead letter.
 */
public final class InvalidPayloadException extends SerializationException {

    private final DeadLetterReason reason;

    public InvalidPayloadException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public InvalidPayloadException(DeadLetterReason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** The kind of damage. */
    public DeadLetterReason reason() {
        return reason;
    }
}
