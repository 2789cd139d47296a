package dev.vigil.remediation;

import dev.vigil.avro.AuditRecord;

/**
 * Rebuilds what the guards remember from the audit trail, so that cooldowns, rate limits, attempts,
 * in-flight actions and decided keys hold across restarts: the trail is the remediation consumer's only
 * state. An action (or undo) whose outcome never made it to the trail (the consumer died while it ran) stays in
 * flight, so its host is left alone until someone looks. An action VERIFIED as fixed gives its attempt back.
 */
public final class AuditReplay {

    private AuditReplay() {
    }

    /** Folds one record of the trail into {@code state}. */
    public static void apply(AuditRecord record, GuardState state) {
        String key = record.getAlertId() + "/" + record.getRule();
        state.recordDecided(key);
        long time = record.getTimestamp().toEpochMilli();
        switch (record.getOutcome()) {
            case EXECUTED -> state.recordStarted(record.getRule(), record.getHostId(), fingerprintOf(record.getAlertId()), time);
            case DRY_RUN -> {
                state.recordStarted(record.getRule(), record.getHostId(), fingerprintOf(record.getAlertId()), time);
                state.recordFinished(record.getHostId());
            }
            case SUCCEEDED, FAILED -> state.recordFinished(record.getHostId()); // of an action or of an undo
            case UNDONE -> state.recordBusy(record.getHostId());
            case VERIFIED -> state.recordFixed(record.getRule(), fingerprintOf(record.getAlertId()));
            case SILENCE_ADDED, SILENCE_EXPIRED, HOST_RETIRED, HOST_REINSTATED -> state.recordDecided(AlertingChanges.key(record.getDecisionId()));
            // PLANNED, SUPPRESSED, AWAITING_APPROVAL, APPROVED, DENIED, EXPIRED, INEFFECTIVE, ESCALATED: nothing runs on the host
            default -> { }
        }
    }

    /** An alert id is its fingerprint, a dash and the incident's start (docs/alerts.md). */
    public static String fingerprintOf(String alertId) {
        int dash = alertId.lastIndexOf('-');
        return dash > 0 ? alertId.substring(0, dash) : alertId;
    }
}
