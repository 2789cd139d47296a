package dev.vigil.remediation.verification;

import java.time.Instant;
import java.util.Optional;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AnomalyScore;

/**
 * What "fixed" means for one verification, and what it saw. Each event is judged with the time its record was
 * produced ({@code at}), so a consumer that reads late judges the fleet's timeline, not its own.
 */
sealed interface FixedCheck permits AlertResolves, MetricInBand {

    /** The topic this check reads. */
    EvidenceSource source();

    /** An alert event: VERIFIED or INEFFECTIVE with the numbers seen, or empty while still undecided. */
    Optional<VerificationResult.Kind> onAlert(Alert alert, Instant at);

    /** A score: VERIFIED or INEFFECTIVE with the numbers seen, or empty while still undecided. */
    Optional<VerificationResult.Kind> onScore(AnomalyScore score, Instant at);

    /** What the check saw, as the detail of VERIFIED (after a fix) or INEFFECTIVE (after the deadline). */
    String detail();
}
