package dev.vigil.gateway.model;

import java.util.Objects;

/**
 * Points of one request refused for one reason: how many, and what was wrong with the first of them (a message names
 * the problem; it does not list a million points).
 */
public record RefusedPoints(RefusalReason reason, int points, String example) {

    public RefusedPoints {
        Objects.requireNonNull(reason, "reason can't be null");
        Objects.requireNonNull(example, "example can't be null");
        if (points < 1) {
            throw new IllegalArgumentException("points must be at least 1, not " + points);
        }
    }
}
