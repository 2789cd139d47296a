package dev.vigil.e2e.attacks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every attempt of an attack suite, as it was answered: which attack, against which service, whether it was accepted, and
 * where its refusal was recorded (a meter and its label, or the audit trail's reason). The suite asserts its figures
 * against the services' own meters, logs and trail; {@link #table()} prints them.
 */
public final class AttackLedger {

    /**
     * One attempt: how it was answered, the series its refusal must be counted in ({@code recorded}) and the key its
     * refusal must be logged or audited under ({@code logged}: a reason, or {@code field NAME}; both null if accepted), the
     * reason expected, and where the refusal is written besides the meter ({@code loggedWhere}: "WARN log", "trail + log").
     */
    public record Attempt(String attack, String service, boolean accepted, String answer, Recorded recorded, String logged, String expected,
                          String loggedWhere) {
        /** Whether it was refused for the reason expected. */
        public boolean asExpected() {
            return !accepted && expected.equals(logged);
        }
    }

    /**
     * Where a refusal is recorded: a meter and its one label, as Prometheus shows them, and the log or trail key the
     * suite counts it under ({@code reason}).
     */
    public record Recorded(String meter, String label, String value) {
        /** {@code meter{label="value"}}, as a scrape shows it. */
        public String series() {
            return meter + "{" + label + "=\"" + value + "\"}";
        }
    }

    private final List<Attempt> attempts = new ArrayList<>();

    public synchronized void add(Attempt attempt) {
        attempts.add(attempt);
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** How many attempts against {@code service} were recorded as each series. */
    public synchronized Map<Recorded, Long> recordedBy(String service) {
        return attempts.stream().filter(a -> a.service().equals(service) && a.recorded() != null)
                .collect(Collectors.groupingBy(Attempt::recorded, LinkedHashMap::new, Collectors.counting()));
    }

    /** How many attempts against {@code service} must have been logged (or audited) under each key. */
    public synchronized Map<String, Long> loggedBy(String service) {
        return attempts.stream().filter(a -> a.service().equals(service) && a.logged() != null)
                .collect(Collectors.groupingBy(Attempt::logged, TreeMap::new, Collectors.counting()));
    }

    /** The attempts accepted or refused for another reason than expected. */
    public synchronized List<Attempt> unexpected() {
        return attempts.stream().filter(a -> !a.asExpected()).toList();
    }

    public synchronized long accepted() {
        return attempts.stream().filter(Attempt::accepted).count();
    }

    /** A Markdown table: attack, target, attempts, accepted, answers, where each refusal was recorded. */
    public synchronized String table() {
        Map<String, List<Attempt>> byAttack = new LinkedHashMap<>();
        attempts.forEach(a -> byAttack.computeIfAbsent(a.attack() + "\u0000" + a.service(), k -> new ArrayList<>()).add(a));
        StringBuilder table = new StringBuilder("| attack | target | attempts | accepted | answered | recorded as |\n|---|---|---:|---:|---|---|\n");
        for (List<Attempt> group : byAttack.values()) {
            Map<String, Long> answers = new LinkedHashMap<>();
            Set<String> recorded = new LinkedHashSet<>();
            group.forEach(a -> {
                answers.merge(a.answer(), 1L, Long::sum);
                if (a.recorded() != null) {
                    recorded.add("`" + a.recorded().series() + "` + " + a.loggedWhere());
                }
            });
            table.append("| ").append(group.get(0).attack()).append(" | ").append(group.get(0).service()).append(" | ").append(group.size())
                    .append(" | ").append(group.stream().filter(Attempt::accepted).count()).append(" | ").append(answers.size() == 1 ? answers.keySet().iterator().next()
                            : answers.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", ")))
                    .append(" | ").append(String.join(", ", recorded)).append(" |\n");
        }
        table.append("| **all** | | **").append(attempts.size()).append("** | **").append(accepted()).append("** | | |\n");
        return table.toString();
    }
}
