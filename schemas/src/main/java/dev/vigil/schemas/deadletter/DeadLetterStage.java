package dev.vigil.schemas.deadletter;

/**
 * Which component gave up on a record: the dead letter's {@code stage} field holds {@link #wireName()}. The
 * names are part of the contract (operators and tests filter on them), so a constant's wire name never changes.
 */
public enum DeadLetterStage {

    /** The streams application (scoring, rollups, forecasts, alerts). */
    STREAMS("streams"),
    /** The ClickHouse sink. */
    SINK("sinks"),
    /** The remediation consumer. */
    REMEDIATION("remediation"),
    /** The gateway (the OpenTelemetry Collector's Kafka topic). */
    GATEWAY("gateway");

    private final String wireName;

    DeadLetterStage(String wireName) {
        this.wireName = wireName;
    }

    /** What the dead letter's {@code stage} field says. */
    public String wireName() {
        return wireName;
    }
}
