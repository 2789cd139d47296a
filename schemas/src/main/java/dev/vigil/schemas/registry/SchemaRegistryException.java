package dev.vigil.schemas.registry;

import org.apache.kafka.common.KafkaException;

/**
 * A schema-registry request failed.
 *
 * <p>{@link #status()} is the HTTP status the registry answered with, or {@code -1} when it could not be
 * reached at all; {@link #errorCode()} is the Confluent error code of the answer ({@code 40403} schema not
 * found, {@code 409} incompatible ...) or {@code -1}. {@link #isRetriable()} tells whether trying again
 * later may succeed: the registry was down, overloaded or failing, not refusing.
 */
public class SchemaRegistryException extends KafkaException {

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** HTTP status of the registry's answer, or -1 if there was none. */
    public int status() {
        return status;
    }

    /** Confluent error code from the answer's body, or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the failure was the registry's availability, not a refusal of the request. */
    public boolean isRetriable() {
        return status == -1 || status == 429 || status >= 500;
    }

    /** True when the registry answered that the schema, subject or id does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }
}
