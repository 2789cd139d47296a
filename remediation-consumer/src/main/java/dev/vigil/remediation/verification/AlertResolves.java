package dev.vigil.remediation.verification;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.runtime.config.Durations;

/** Fixed when the alert's RESOLVED event is produced within {@code verify_within} of the action; meanwhile remembers its last event. */
final class AlertResolves implements FixedCheck {

    private final String alertId;
    private final Instant startedAt;
    private final Duration within;
    private Alert last;
    private Instant lastAt;

    AlertResolves(String alertId, Instant startedAt, Duration within) {
        this.alertId = alertId;
        this.startedAt = startedAt;
        this.within = within;
    }

    @Override
    public EvidenceSource source() {
        return EvidenceSource.ALERTS;
    }

    @Override
    public Optional<VerificationResult.Kind> onAlert(Alert alert, Instant at) {
        if (!alert.getAlertId().equals(alertId)) {
            return Optional.empty();
        }
        last = alert;
        lastAt = at;
        if (alert.getEvent() != AlertEvent.RESOLVED) {
            return Optional.empty();
        }
        // Nothing can follow a RESOLVED event of this incident: it settles the verdict, in time or not.
        return Optional.of(at.isAfter(startedAt.plus(within)) ? VerificationResult.Kind.INEFFECTIVE : VerificationResult.Kind.VERIFIED);
    }

    @Override
    public Optional<VerificationResult.Kind> onScore(AnomalyScore score, Instant at) {
        return Optional.empty();
    }

    @Override
    public String detail() {
        String limit = " (verify_within " + Durations.format(within) + ")";
        if (last == null) {
            return "the alert did not resolve" + limit + "; no event of it since the action";
        }
        String numbers = "value " + Numbers.inBand(last.getValue(), last.getLower(), last.getUpper()) + ", score "
                + Numbers.value(last.getLastScore());
        String after = Numbers.seconds(Duration.between(startedAt, lastAt)) + " after the action";
        if (last.getEvent() == AlertEvent.RESOLVED) {
            return "the alert resolved " + after + limit + ": " + numbers;
        }
        return "the alert did not resolve" + limit + "; its last event, " + last.getEvent() + " " + after + ": " + numbers;
    }
}
