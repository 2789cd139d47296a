package dev.vigil.remediation.approvals;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditRecord;
import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.Role;

/**
 * Decides whether an answer on {@code vigil.remediation.approvals} may count: it must be signed by the user it names (with
 * the Ed25519 key of that user's {@code public_key} in the access file), or by a service holding {@link Role#CONSOLE} on
 * behalf of the user it names (the operator console, which authenticated that user), not expired, not seen before (its
 * nonce), for a decision that is waiting, and the user it names (the actor) must be a user of the access file whose
 * approver role and {@code approve} scope cover the decision's rule and host. A signer that differs from the actor without
 * the console role is a forgery.
 * The checks run in that order and the first that fails is the reason. Nonces accepted before a restart are known
 * again from the audit trail ({@link #replay}).
 */
public final class ApprovalGate {

    /** What the gate says. */
    public sealed interface Verdict {
        /** Counts: {@code evidence} goes into the audit record's detail ({@link ApprovalEvidence}). */
        record Accepted(String actor, String evidence) implements Verdict {
        }

        record Refused(ApprovalRefusal reason, String detail) implements Verdict {
        }
    }

    /** The decision an answer is for, as the consumer holds it while it waits. */
    public record Waiting(String rule, String hostId, Map<String, String> hostLabels) {
    }

    private final Supplier<Optional<AccessFile>> access;
    private final boolean allowUnsigned;
    private final Set<String> nonces = new HashSet<>();

    /**
     * @param access        the access file in force (re-read when it changes), or empty when none is configured
     * @param allowUnsigned accept unsigned answers (development only: anyone who can write to the topic then approves)
     */
    public ApprovalGate(Supplier<Optional<AccessFile>> access, boolean allowUnsigned) {
        this.access = Objects.requireNonNull(access, "access can't be null");
        this.allowUnsigned = allowUnsigned;
    }

    /**
     * @param recordKey the Kafka key the answer came under (the decision id it was published for), or null
     * @param waiting   the decision its id names, if one waits
     */
    public Verdict check(String recordKey, ApprovalDecision answer, Optional<Waiting> waiting, Instant now) {
        String decisionId = answer.getDecisionId();
        if (recordKey != null && !recordKey.equals(decisionId)) {
            return refuse(ApprovalRefusal.OTHER_DECISION, "published under decision " + quote(recordKey) + " but its body answers "
                    + quote(decisionId));
        }
        if (answer.getSignature() == null) {
            if (!allowUnsigned) {
                return refuse(ApprovalRefusal.UNSIGNED, "not signed; vigil approve --key-file signs (docs/security.md#signed-approvals)");
            }
            if (waiting.isEmpty()) {
                return notPending(decisionId);
            }
            return new Verdict.Accepted(answer.getActor(), ApprovalEvidence.detail(answer));
        }
        Optional<AccessFile> file = access.get(); // one version of the file for every check of this answer
        boolean onBehalf = !answer.getSigner().equals(answer.getActor());
        if (onBehalf && !holdsConsoleRole(file, answer.getSigner())) {
            return refuse(ApprovalRefusal.FORGED, "signed by " + quote(answer.getSigner()) + " but says " + quote(answer.getActor()) + " decided");
        }
        ApproverKeys.Lookup lookup = ApproverKeys.current(file, answer.getSigner());
        if (lookup instanceof ApproverKeys.Lookup.Missing missing) {
            return refuse(ApprovalRefusal.UNKNOWN_SIGNER, missing.why());
        }
        ApproverKeys.Lookup.Found found = (ApproverKeys.Lookup.Found) lookup;
        if (!ApprovalSignatures.verifies(answer, found.key())) {
            return refuse(ApprovalRefusal.FORGED, "the signature does not verify with the public key of " + quote(answer.getSigner()));
        }
        if (!answer.getExpiresAt().isAfter(now)) {
            return refuse(ApprovalRefusal.EXPIRED, "expired at " + answer.getExpiresAt());
        }
        if (answer.getNonce().isEmpty() || nonces.contains(answer.getNonce())) {
            return refuse(ApprovalRefusal.REPLAYED, "nonce " + quote(answer.getNonce()) + " was accepted before");
        }
        if (waiting.isEmpty()) {
            return notPending(decisionId);
        }
        // The approver checks concern who decided: the signer itself, or the user a console signed for.
        Optional<AccessFile.User> actor = onBehalf ? file.flatMap(f -> f.user(answer.getActor())) : Optional.of(found.user());
        if (actor.isEmpty()) {
            return refuse(ApprovalRefusal.NOT_APPROVER, quote(answer.getActor()) + ", for whom " + quote(answer.getSigner())
                    + " signed, is no user of the access file");
        }
        AccessFile.User user = actor.get();
        if (!Role.granted(user.roles(), Role.APPROVER)) {
            return refuse(ApprovalRefusal.NOT_APPROVER, quote(user.name()) + " has roles " + user.roles() + ", not approver");
        }
        if (!user.approvals().covers(waiting.get().rule(), waiting.get().hostLabels())) {
            return refuse(ApprovalRefusal.NOT_APPROVER, quote(user.name()) + " may approve " + describe(user.approvals()) + ", not rule "
                    + quote(waiting.get().rule()) + " on " + waiting.get().hostId() + " " + waiting.get().hostLabels());
        }
        nonces.add(answer.getNonce());
        return new Verdict.Accepted(user.name(), ApprovalEvidence.detail(answer));
    }

    /** Whether {@code name} is a user of the access file holding {@link Role#CONSOLE}: it may sign for the users it authenticated. */
    static boolean holdsConsoleRole(Optional<AccessFile> file, String name) {
        return file.flatMap(f -> f.user(name)).map(user -> Role.granted(user.roles(), Role.CONSOLE)).orElse(false);
    }

    /** Remembers the nonce of an approval the trail says was accepted. */
    public void replay(AuditRecord record) {
        ApprovalEvidence.signedApproval(record).ifPresent(approval -> nonces.add(approval.getNonce()));
    }

    /** Whether unsigned answers are accepted. */
    public boolean allowsUnsigned() {
        return allowUnsigned;
    }

    private static String describe(dev.vigil.runtime.security.ApprovalScope scope) {
        return (scope.rules().isEmpty() ? "any rule" : "rules " + scope.rules()) + " on "
                + (scope.hostLabels().isEmpty() ? "any host" : "hosts labelled " + new java.util.TreeMap<>(scope.hostLabels()));
    }

    private static Verdict notPending(String decisionId) {
        return refuse(ApprovalRefusal.NOT_PENDING, "no decision " + quote(decisionId) + " waits for an answer (unknown, answered or lapsed)");
    }

    private static Verdict refuse(ApprovalRefusal reason, String detail) {
        return new Verdict.Refused(reason, detail);
    }

    /** A value from the topic, quoted and cut short: it may hold anything, and it goes into a log line and the trail. */
    static String quote(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return "'" + (clean.length() > 80 ? clean.substring(0, 80) + "..." : clean) + "'";
    }
}
