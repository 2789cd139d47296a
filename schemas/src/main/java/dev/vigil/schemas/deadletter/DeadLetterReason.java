package dev.vigil.schemas.deadletter;

/**
 * Why a record went to {@code vigil.dead-letters}: the closed set of causes, whichever component gave up. The
 * dead letter's {@code reason} field holds the constant's {@link #name()} (the Avro field stays a string, so a
 * reader older than a new constant still reads the record), and the services' dead-letter counters are
 * tagged with it. docs/topics.md lists every constant, which {@code DeadLetterReasonTest} checks.
 */
public enum DeadLetterReason {

    /** A null or zero-length value where a record was expected. */
    EMPTY,
    /** Fewer than the five header bytes of the Confluent wire format. */
    TRUNCATED_HEADER,
    /** The first byte is not the wire format's magic byte 0: not Avro in the wire format at all (JSON, text, noise). */
    BAD_MAGIC_BYTE,
    /** The registry answered that it does not know the schema id in the header. */
    UNKNOWN_SCHEMA_ID,
    /** The writer's schema cannot be read as the reader's type. */
    INCOMPATIBLE_SCHEMA,
    /** The Avro body ends before the writer schema says it should. */
    TRUNCATED_BODY,
    /** Bytes remain after the record: the header's schema does not describe this body. */
    TRAILING_BYTES,
    /** The Avro body is malformed in some other way (bad lengths, a bad union index ...). */
    MALFORMED_BODY,
    /** Decoding failed in a way none of the reasons above names (never a registry outage: that is retried). */
    UNDECODABLE,
    /** A metric batch with a blank host id, or collected before 1970. */
    INVALID_BATCH,
    /** A metric batch whose record key is not its host id: it may sit on another host's partition. */
    KEY_MISMATCH,
    /** Samples with a bad name, a non-finite value, a time before 1970, or too many or too long labels; the message names them. */
    INVALID_SAMPLE,
    /** Samples of new series refused because their host already has {@code max.series.per.host} series. */
    TOO_MANY_SERIES,
    /** Samples stamped more than {@code max.clock.skew} ahead of the streams application's clock. */
    CLOCK_SKEW,
    /** A decoded record with a value a ClickHouse column cannot hold (a time before 1970 or after 2106). */
    INVALID_ROW,
    /** ClickHouse refused the rows of this record while it took the rest of the batch. */
    REFUSED_BY_CLICKHOUSE,
    /** A record on the OpenTelemetry Collector's topic that is not a serialized OTLP {@code ExportMetricsServiceRequest}. */
    MALFORMED_OTLP
}
