package dev.vigil.gateway.model;

import java.util.Locale;

/**
 * Why the gateway refused points or a whole request: the one closed set of every protocol, the {@code reason} tag of
 * {@code vigil_gateway_points_refused_total} and {@code vigil_gateway_requests_refused_total}. docs/ingest.md lists
 * them.
 */
public enum RefusalReason {

    /** None of the configured host attributes ({@code gateway.host.attributes}) is present. */
    NO_HOST,
    /** The host id is not one ({@code MetricContract.isHostId}). */
    INVALID_HOST,
    /** The metric name breaks the metric contract, even after mapping. */
    INVALID_NAME,
    /** Too many labels, or a label name or value the contract refuses. */
    INVALID_LABELS,
    /** A unit longer than the contract allows. */
    INVALID_UNIT,
    /** NaN or an infinity. */
    NOT_FINITE,
    /** A new series of a host that already has {@code max.series.per.host} series. */
    TOO_MANY_SERIES,
    /** A point type the gateway does not map (an OTLP point with no value, a summary without count ...). */
    UNSUPPORTED,
    /** A delta without a usable interval (no start time, or a start not before its time). */
    NO_INTERVAL,
    /** The request could not be parsed: malformed protobuf or JSON, a bad compression. */
    MALFORMED,
    /** A content type or encoding the protocol does not speak. */
    UNSUPPORTED_MEDIA_TYPE,
    /**
     * No credential, a bad one, one without the publisher role, or a call from an address that failed too often lately
     * (gRPC; the HTTP server counts its own refusals).
     */
    UNAUTHENTICATED,
    /** A request larger than the protocol allows once decompressed (HTTP 413, gRPC RESOURCE_EXHAUSTED). */
    TOO_LARGE,
    /** Too much in flight towards Kafka: the client is told to retry later. */
    OVERLOADED,
    /** Kafka refused or failed the publication: nothing of the request was published, the client may retry. */
    UNAVAILABLE;

    /** Its tag value and its name in messages: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
