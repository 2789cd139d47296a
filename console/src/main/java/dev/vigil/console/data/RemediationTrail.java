package dev.vigil.console.data;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.RemediationDecision;
import dev.vigil.avro.Verdict;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;

/**
 * The remediation audit trail and the decisions behind it, read from Kafka: {@code vigil.remediation.audit} and
 * {@code vigil.remediation.decisions}.
 * <p>
 * Kafka, not the {@code vigil_remediation_audit} table in ClickHouse, is the source, for two reasons. The chain can only be
 * verified on the records exactly as the consumer wrote them, and the table keeps their time to the second (a
 * {@code DateTime}) where the HMAC covers milliseconds. And an answered or lapsed decision must leave the approvals page as
 * soon as the consumer has written so, not after the sink's next batch; an approval offered for a decision that is no
 * longer waiting would only be refused. The audit records hold the parameters as a hash; their values, and the expiry,
 * come from the decision record the consumer published with the same id.
 */
public final class RemediationTrail implements AutoCloseable {

    /** The answers that end a wait. */
    private static final Set<AuditOutcome> ENDS_WAIT = Set.of(AuditOutcome.APPROVED, AuditOutcome.DENIED, AuditOutcome.EXPIRED);

    private final AvroSerdes serdes;
    private final TopicFollower<AuditRecord> audit;
    private final TopicFollower<RemediationDecision> decisions;

    public RemediationTrail(Map<String, Object> kafka, Map<String, Object> registry) {
        this.serdes = new AvroSerdes(registry);
        Topics topics = new Topics(serdes);
        this.audit = new TopicFollower<>(kafka, Topics.REMEDIATION_AUDIT.name(), topics.remediationAudit().valueSerde().deserializer());
        this.decisions = new TopicFollower<>(kafka, Topics.REMEDIATION_DECISIONS.name(),
                topics.remediationDecisions().valueSerde().deserializer());
    }

    /** The whole trail, in order. */
    public List<AuditRecord> trail() {
        return audit.catchUp().stream().map(ConsumerRecord::value).toList();
    }

    /** The decisions waiting for an answer now, oldest first. */
    public List<PendingApproval> pending(Instant now) {
        Map<String, RemediationDecision> asked = new HashMap<>();
        for (ConsumerRecord<String, RemediationDecision> record : decisions.catchUp()) {
            if (record.value() != null && record.value().getVerdict() == Verdict.NEEDS_APPROVAL) {
                asked.put(record.value().getDecisionId(), record.value());
            }
        }
        return pending(trail(), asked, now);
    }

    /** The pending decision {@code decisionId}, if it still waits. */
    public Optional<PendingApproval> pending(String decisionId, Instant now) {
        return pending(now).stream().filter(p -> p.decisionId().equals(decisionId)).findFirst();
    }

    /**
     * Which decisions wait: those whose last word in the trail is AWAITING_APPROVAL (no APPROVED, DENIED or EXPIRED after it),
     * not past their expiry. A decision without its decision record (published before the audit record, so this happens only
     * while the topics are read mid-way) shows no parameters and the expiry the audit record states.
     */
    static List<PendingApproval> pending(List<AuditRecord> trail, Map<String, RemediationDecision> asked, Instant now) {
        Map<String, AuditRecord> waiting = new LinkedHashMap<>();
        for (AuditRecord record : trail) {
            if (record.getOutcome() == AuditOutcome.AWAITING_APPROVAL) {
                waiting.put(record.getDecisionId(), record);
            } else if (ENDS_WAIT.contains(record.getOutcome())) {
                waiting.remove(record.getDecisionId());
            }
        }
        return waiting.values().stream().map(record -> {
            RemediationDecision decision = asked.get(record.getDecisionId());
            Instant expires = decision != null && decision.getExpiresAt() != null ? decision.getExpiresAt() : expiryOf(record);
            return new PendingApproval(record.getDecisionId(), record.getAlertId(), record.getRule(), record.getHostId(), record.getAction(),
                    decision == null ? Map.of() : decision.getParameters(), record.getTimestamp(), expires);
        }).filter(pending -> pending.expiresAt().isAfter(now)).toList();
    }

    /** The consumer writes "expires at INSTANT" as the detail of AWAITING_APPROVAL. */
    private static Instant expiryOf(AuditRecord record) {
        try {
            return Instant.parse(record.getDetail().replaceFirst("^expires at ", "").strip());
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    @Override
    public void close() {
        audit.close();
        decisions.close();
        serdes.close();
    }
}
