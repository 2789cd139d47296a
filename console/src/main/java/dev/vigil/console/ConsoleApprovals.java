package dev.vigil.console;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.remediation.OperatorRecords;
import dev.vigil.remediation.approvals.ApprovalSignatures;
import dev.vigil.schemas.Topics;

/**
 * Answers given in the console, as the remediation consumer takes them: an {@code ApprovalDecision} signed with the console's
 * service key, its signer the console's service principal and its actor the signed-in user, on {@code vigil.remediation.approvals}.
 * The consumer accepts it because the signer holds the {@code console} role, and checks the user's approver role and scope
 * itself (docs/security.md#approvals-through-the-console).
 */
public final class ConsoleApprovals {

    private final OperatorRecords records;
    private final String signer;
    private final PrivateKey key;
    private final Duration validFor;
    private final Clock clock;

    public ConsoleApprovals(OperatorRecords records, String signer, PrivateKey key, Duration validFor, Clock clock) {
        this.records = Objects.requireNonNull(records, "records can't be null");
        this.signer = Objects.requireNonNull(signer, "signer can't be null");
        this.key = Objects.requireNonNull(key, "key can't be null");
        this.validFor = Objects.requireNonNull(validFor, "validFor can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    /** Signs and publishes {@code actor}'s answer to {@code decisionId}; returns it once the broker has it. */
    public ApprovalDecision submit(String decisionId, boolean approved, String actor, String comment) {
        Instant now = clock.instant();
        ApprovalDecision answer = ApprovalSignatures.sign(decisionId, approved, actor, comment, now, now.plus(validFor), signer, key);
        records.publish(Topics::remediationApprovals, decisionId, answer);
        return answer;
    }
}
