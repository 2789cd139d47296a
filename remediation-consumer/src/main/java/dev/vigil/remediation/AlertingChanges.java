package dev.vigil.remediation;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.Silence;

/**
 * Puts the changes people make to alerting into the audit trail, beside the decisions: each silence added
 * ({@code SILENCE_ADDED}) and ended early ({@code SILENCE_EXPIRED}), each host retired ({@code HOST_RETIRED}) or
 * reinstated ({@code HOST_REINSTATED}), with who did it, what it covers (in {@code detail}, and hashed as its
 * parameters) and why. Each version is audited once: the trail's decision ids say which were ({@link AuditReplay}), so
 * a redelivered or re-read record is not audited again.
 */
public final class AlertingChanges {

    private final Remediator.AuditSink audit;
    private final GuardState state;

    public AlertingChanges(Remediator.AuditSink audit, GuardState state) {
        this.audit = Objects.requireNonNull(audit, "audit can't be null");
        this.state = Objects.requireNonNull(state, "state can't be null");
    }

    /** Audits this version of a silence unless it was; returns whether it did. */
    public boolean onSilence(Silence silence, Instant now) {
        boolean ended = silence.getExpiredBy() != null;
        String decisionId = Remediator.decisionId("silence/" + silence.getSilenceId() + "/" + (ended ? "expired" : "added"));
        if (!firstTime(decisionId)) {
            return false;
        }
        Map<String, String> definition = new TreeMap<>();
        definition.put("hosts", String.join(",", silence.getHosts()));
        definition.put("hostLabels", new TreeMap<>(silence.getHostLabels()).toString());
        definition.put("metric", silence.getMetric() == null ? "" : silence.getMetric());
        definition.put("startsAt", silence.getStartsAt().toString());
        definition.put("endsAt", silence.getEndsAt().toString());
        String detail = (ended ? "ended early at " + silence.getEndsAt() + "; was " : "")
                + "hosts " + (silence.getHosts().isEmpty() ? "any" : silence.getHosts())
                + ", host labels " + (silence.getHostLabels().isEmpty() ? "any" : new TreeMap<>(silence.getHostLabels()))
                + ", metric " + (silence.getMetric() == null ? "any, and host alerts" : silence.getMetric())
                + ", from " + silence.getStartsAt() + " until " + silence.getEndsAt() + ", by " + silence.getAuthor() + ": " + silence.getReason();
        audit.append(decisionId, silence.getSilenceId(), String.join(",", silence.getHosts()), "", "silence", definition,
                ended ? AuditOutcome.SILENCE_EXPIRED : AuditOutcome.SILENCE_ADDED, null, detail,
                ended ? silence.getExpiredBy() : silence.getAuthor(), now);
        return true;
    }

    /** Audits a retirement or reinstatement unless it was; returns whether it did. */
    public boolean onRetirement(HostRetirement retirement, Instant now) {
        String decisionId = Remediator.decisionId("retirement/" + retirement.getHostId() + "/" + retirement.getChangedAt().toEpochMilli()
                + "/" + retirement.getRetired());
        if (!firstTime(decisionId)) {
            return false;
        }
        audit.append(decisionId, "", retirement.getHostId(), "", "host-retirement", Map.of(),
                retirement.getRetired() ? AuditOutcome.HOST_RETIRED : AuditOutcome.HOST_REINSTATED, null,
                retirement.getReason(), retirement.getAuthor(), now);
        return true;
    }

    /** Whether the change of this decision id is new to the trail; it is not from now on. */
    private boolean firstTime(String decisionId) {
        String key = key(decisionId);
        if (state.decided(key)) {
            return false;
        }
        state.recordDecided(key);
        return true;
    }

    /** The key under which the guards remember an audited change: apart from the (alert, rule) keys of decisions. */
    static String key(String decisionId) {
        return "change/" + decisionId;
    }
}
