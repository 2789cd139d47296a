package dev.vigil.gateway.model;

/** How a point's value is to be read, whatever protocol brought it. */
public enum PointKind {
    /** A level, published as it is. */
    GAUGE,
    /** A running total since {@link Point#startNanos()} (monotonic): published as its per-second rate. */
    CUMULATIVE,
    /** What was counted between {@link Point#startNanos()} and {@link Point#timeNanos()}: published as a rate over that interval. */
    DELTA
}
