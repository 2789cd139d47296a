package dev.vigil.gateway.model;

import java.util.List;

/**
 * What a protocol made of one request: the points it could map, and those it refused while mapping (no host, an
 * unsupported type), which the publisher counts with its own refusals.
 */
public record MappedRequest(List<Point> points, List<RefusedPoints> refused) {

    public MappedRequest {
        points = List.copyOf(points);
        refused = List.copyOf(refused);
    }

    /** Every point the request held, mapped or not. */
    public int totalPoints() {
        return points.size() + refused.stream().mapToInt(RefusedPoints::points).sum();
    }
}
