package dev.vigil.remediation.verification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;

/**
 * The executed actions whose effect is being watched, and the verdicts on them. An action that succeeded under a rule
 * with {@code verify_within} is watched from then on; each alert event and score is offered to every watch, and a watch
 * whose deadline passed is judged INEFFECTIVE once the consumer has read its evidence up to the deadline. Rebuilt from
 * the audit trail at start ({@link #replay}), so a restart loses no watch and settles none twice. Pure: no I/O, the
 * clock and the record times are arguments.
 */
public final class Verifier {

    private final Map<String, PendingVerification> pending = new LinkedHashMap<>();
    // Only while replaying the trail: which actions are running, and what INEFFECTIVE verdicts still owe.
    private final Set<String> executing = new HashSet<>();
    private final Map<String, OwedFollowUp> owed = new LinkedHashMap<>();
    private final Set<String> awaitingUndoOutcome = new HashSet<>();

    /** Watches the action of {@code decisionId}, which just succeeded, if {@code rule} says what "fixed" means. */
    public void start(String decisionId, Alert alert, Rule rule, Instant at) {
        if (rule.verification().isPresent()) {
            pending.put(decisionId, new PendingVerification(decisionId, alert.getAlertId(), alert.getHostId(), rule, at, alert));
        }
    }

    /**
     * Folds one record of the audit trail into the watches and the follow-ups owed, with the rules of {@code policy} (a
     * watch whose rule is gone, or no longer verifies, is dropped).
     */
    public void replay(AuditRecord record, Policy policy) {
        String decision = record.getDecisionId();
        switch (record.getOutcome()) {
            case EXECUTED -> executing.add(decision);
            case SUCCEEDED, FAILED -> {
                if (executing.remove(decision)) {
                    if (record.getOutcome() == AuditOutcome.SUCCEEDED) {
                        rule(policy, record.getRule()).filter(rule -> rule.verification().isPresent()).ifPresent(rule -> pending.put(decision,
                                new PendingVerification(decision, record.getAlertId(), record.getHostId(), rule, record.getTimestamp(), null)));
                    }
                } else if (awaitingUndoOutcome.remove(decision)) {
                    update(decision, (key, follow) -> new OwedFollowUp(follow.verification(), follow.detail(), follow.undo(), follow.escalation(),
                            Optional.of(record.getOutcome() + ": " + record.getDetail())));
                }
            }
            case VERIFIED -> pending.remove(decision);
            case INEFFECTIVE -> {
                PendingVerification watched = pending.remove(decision);
                if (watched != null) {
                    OwedFollowUp follow = new OwedFollowUp(watched, record.getDetail(), watched.verification().undo().isPresent(),
                            watched.verification().escalation().isPresent(), Optional.empty());
                    if (!follow.settled()) {
                        owed.put(decision, follow);
                    }
                }
            }
            case UNDONE -> {
                awaitingUndoOutcome.add(decision);
                update(decision, (key, follow) -> new OwedFollowUp(follow.verification(), follow.detail(), false, follow.escalation(),
                        follow.undoOutcome()));
            }
            case ESCALATED -> update(decision, (key, follow) -> new OwedFollowUp(follow.verification(), follow.detail(), follow.undo(), false,
                    follow.undoOutcome()));
            default -> { } // decisions that ran nothing
        }
    }

    private void update(String decision, BiFunction<String, OwedFollowUp, OwedFollowUp> change) {
        OwedFollowUp updated = owed.computeIfPresent(decision, change);
        if (updated != null && updated.settled() && !awaitingUndoOutcome.contains(decision)) {
            owed.remove(decision);
        }
    }

    private static Optional<Rule> rule(Policy policy, String name) {
        return policy.rules().stream().filter(rule -> rule.name().equals(name)).findFirst();
    }

    /** The follow-ups the trail says are owed (undo, escalation) after its INEFFECTIVE verdicts; handed over once. */
    public List<OwedFollowUp> takeOwed() {
        List<OwedFollowUp> taken = new ArrayList<>(owed.values().stream().filter(follow -> !follow.settled()).toList());
        owed.clear();
        awaitingUndoOutcome.clear();
        executing.clear();
        return taken;
    }

    /** Offers an alert event, produced at {@code at}, to every watch; returns the verdicts it settles. */
    public List<VerificationResult> onAlert(Alert alert, Instant at) {
        return offer(check -> check.onAlert(alert, at));
    }

    /** Offers a score, produced at {@code at}, to every watch; returns the verdicts it settles. */
    public List<VerificationResult> onScore(AnomalyScore score, Instant at) {
        return offer(check -> check.onScore(score, at));
    }

    private List<VerificationResult> offer(Function<FixedCheck, Optional<VerificationResult.Kind>> event) {
        List<VerificationResult> settled = new ArrayList<>();
        for (Iterator<PendingVerification> it = pending.values().iterator(); it.hasNext();) {
            PendingVerification watched = it.next();
            Optional<VerificationResult.Kind> kind = event.apply(watched.check());
            if (kind.isPresent()) {
                it.remove();
                settled.add(new VerificationResult(watched, kind.get(), watched.check().detail()));
            }
        }
        return settled;
    }

    /**
     * The watches whose deadline has passed at {@code now}, judged INEFFECTIVE, as long as {@code caughtUp} says the
     * consumer has read their source to its end (evidence produced in time but not read yet must still count).
     */
    public List<VerificationResult> due(Instant now, Predicate<EvidenceSource> caughtUp) {
        Map<EvidenceSource, Boolean> read = new HashMap<>(); // asked at most once per source: it may cost a broker round trip
        List<VerificationResult> settled = new ArrayList<>();
        for (Iterator<PendingVerification> it = pending.values().iterator(); it.hasNext();) {
            PendingVerification watched = it.next();
            if (now.isBefore(watched.deadline()) || !read.computeIfAbsent(watched.check().source(), caughtUp::test)) {
                continue;
            }
            it.remove();
            settled.add(new VerificationResult(watched, VerificationResult.Kind.INEFFECTIVE, watched.check().detail()));
        }
        return settled;
    }

    /** Whether any watch's deadline has passed at {@code now}: the cue to ask whether the evidence was read up to it. */
    public boolean anyDue(Instant now) {
        return pending.values().stream().anyMatch(watched -> !now.isBefore(watched.deadline()));
    }

    /** The hosts whose scores are watched, each with the earliest start of its watches: where reading their scores starts. */
    public Map<String, Instant> scoreHosts() {
        Map<String, Instant> hosts = new HashMap<>();
        for (PendingVerification watched : pending.values()) {
            if (watched.check() instanceof MetricInBand metric) {
                hosts.merge(metric.hostId(), watched.startedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return hosts;
    }

    /** The watches now, oldest first. */
    public Collection<PendingVerification> pending() {
        return List.copyOf(pending.values());
    }

    /** How many actions are being watched. */
    public int pendingCount() {
        return pending.size();
    }
}
