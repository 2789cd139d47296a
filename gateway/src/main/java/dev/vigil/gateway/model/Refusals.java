package dev.vigil.gateway.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Gathers the refused points of one request by reason, keeping the first message of each; not thread-safe. */
public final class Refusals {

    private final Map<RefusalReason, int[]> counts = new EnumMap<>(RefusalReason.class);
    private final Map<RefusalReason, String> examples = new EnumMap<>(RefusalReason.class);

    /** Records {@code points} points refused for {@code reason}; {@code message} says what was wrong. */
    public void add(RefusalReason reason, int points, String message) {
        if (points <= 0) {
            return;
        }
        counts.computeIfAbsent(reason, r -> new int[1])[0] += points;
        examples.putIfAbsent(reason, message);
    }

    /** Records one refused point. */
    public void add(RefusalReason reason, String message) {
        add(reason, 1, message);
    }

    /** Takes in what {@code other} gathered. */
    public void addAll(List<RefusedPoints> other) {
        other.forEach(refused -> add(refused.reason(), refused.points(), refused.example()));
    }

    /** How many points were refused, for every reason. */
    public int total() {
        return counts.values().stream().mapToInt(count -> count[0]).sum();
    }

    /** What was gathered, by reason in the enum's order. */
    public List<RefusedPoints> list() {
        List<RefusedPoints> list = new ArrayList<>(counts.size());
        counts.forEach((reason, count) -> list.add(new RefusedPoints(reason, count[0], examples.get(reason))));
        return list;
    }
}
