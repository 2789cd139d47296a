package dev.vigil.remediation.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static dev.vigil.remediation.verification.Watched.KEY;
import static dev.vigil.remediation.verification.Watched.NGINX;
import static dev.vigil.remediation.verification.Watched.POLICY;
import static dev.vigil.remediation.verification.Watched.RESTART;
import static dev.vigil.remediation.verification.Watched.T;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.avro.Alert;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.GuardState;
import dev.vigil.remediation.Remediator;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.remediation.audit.ChainedAuditSink;
import dev.vigil.remediation.executors.ActionRequest;

class FollowUpsTest {

    private final List<AuditRecord> trail = new ArrayList<>();
    private final List<ActionRequest> ran = new ArrayList<>();
    private final GuardState state = new GuardState();
    private final Alert nginx = Watched.NGINX;

    private FollowUps followUps(List<AuditRecord> into) {
        AuditChain chain = into.isEmpty() ? new AuditChain(KEY, 0, AuditChain.GENESIS)
                : new AuditChain(KEY, into.get(into.size() - 1).getSequence(), AuditChain.hash(into.get(into.size() - 1)));
        Remediator.AuditSink audit = new ChainedAuditSink(chain, into::add);
        return new FollowUps(audit, request -> {
            ran.add(request);
            return request.rule().action().executor().equals("webhook") ? new ActionOutcome(true, "HTTP 200 paged")
                    : new ActionOutcome(true, "exit 0");
        }, state, "remediation-test", () -> T.plusSeconds(601));
    }

    @Test
    void shouldAuditIneffectiveThenRunTheUndoAndEscalateWithWhatWasSeen() {
        PendingVerification watched = new PendingVerification("d1", nginx.getAlertId(), "web-01", RESTART, T, nginx);

        followUps(trail).settle(new VerificationResult(watched, VerificationResult.Kind.INEFFECTIVE, "the alert did not resolve (verify_within 10m)"));

        assertThat(trail).extracting(AuditRecord::getOutcome).containsExactly(AuditOutcome.INEFFECTIVE, AuditOutcome.UNDONE,
                AuditOutcome.SUCCEEDED, AuditOutcome.ESCALATED);
        assertThat(trail).extracting(AuditRecord::getAction).containsExactly("command:restart-unit", "command:start-unit",
                "command:start-unit", "webhook:oncall");
        assertThat(trail.get(0).getDetail()).isEqualTo("the alert did not resolve (verify_within 10m)");
        assertThat(trail.get(1).getDetail()).isEqualTo("undo of command:restart-unit after INEFFECTIVE: running command:start-unit");
        assertThat(trail.get(3).getDetail()).isEqualTo("delivered: HTTP 200 paged");
        assertThat(ran).extracting(request -> request.rule().action().id()).containsExactly("command:start-unit", "webhook:oncall");
        assertThat(ran.get(0).parameters()).isEqualTo(Map.of("unit", "nginx.service"));
        assertThat(ran.get(0).idempotencyKey()).isEqualTo("web-01/service.errors-1/restart/undo");
        assertThat(ran.get(1).parameters()).containsEntry("verdict", "INEFFECTIVE").containsEntry("action", "command:restart-unit")
                .containsEntry("seen", "the alert did not resolve (verify_within 10m)").containsEntry("undo", "SUCCEEDED: exit 0");
        assertThat(new AuditVerifier(KEY).verify(trail, List.of())).as("vigil audit verify").isEqualTo(new AuditVerifier.Result.Intact(4, 0));
    }

    @Test
    void shouldRecordAnUndoThatCannotBeFilledInAsFailedAndStillEscalate() {
        // After a restart, with the alert gone from vigil.alerts: the undo's {{label.unit}} has nothing to come from.

        settleIneffective(null);

        assertThat(trail).extracting(AuditRecord::getOutcome).containsExactly(AuditOutcome.INEFFECTIVE, AuditOutcome.UNDONE,
                AuditOutcome.FAILED, AuditOutcome.ESCALATED);
        assertThat(trail.get(2).getDetail()).isEqualTo("not run: its parameters name alert fields, and alert web-01/service.errors-1 is no "
                + "longer on vigil.alerts");
        assertThat(ran).extracting(request -> request.rule().action().id()).containsExactly("webhook:oncall");
    }

    @Test
    void shouldCarryOutWhatTheTrailStillOwesExactlyOnceAfterARestart() {
        // The consumer stopped right after writing INEFFECTIVE: the undo and the escalation are owed.
        settleIneffective(nginx);
        List<AuditRecord> cut = new ArrayList<>(trail.subList(0, 1));
        ran.clear();

        Verifier restarted = replay(cut);
        List<OwedFollowUp> owed = restarted.takeOwed();
        owed.get(0).verification().alert(nginx); // what AlertHistory finds on vigil.alerts
        owed.forEach(followUps(cut)::carryOut);

        assertThat(cut).extracting(AuditRecord::getOutcome).containsExactly(AuditOutcome.INEFFECTIVE, AuditOutcome.UNDONE,
                AuditOutcome.SUCCEEDED, AuditOutcome.ESCALATED);
        assertThat(ran).hasSize(2);
        assertThat(replay(cut).takeOwed()).as("a second restart owes nothing").isEmpty();
    }

    @Test
    void shouldOweOnlyTheEscalationWhenTheConsumerStoppedWhileTheUndoRan() {
        settleIneffective(nginx);

        Verifier restarted = replay(trail.subList(0, 2)); // INEFFECTIVE, UNDONE: the undo's outcome never reached the trail

        assertThat(restarted.takeOwed()).extracting(OwedFollowUp::undo, OwedFollowUp::escalation, OwedFollowUp::undoOutcome)
                .as("the undo may have run: never again").containsExactly(tuple(false, true, Optional.empty()));
    }

    /** The watched restart of nginx judged INEFFECTIVE, with {@code alert} at hand for its undo (null: none). */
    private void settleIneffective(Alert alert) {
        PendingVerification watched = new PendingVerification("d1", NGINX.getAlertId(), "web-01", RESTART, T, alert);
        followUps(trail).settle(new VerificationResult(watched, VerificationResult.Kind.INEFFECTIVE, "seen"));
    }

    private static Verifier replay(List<AuditRecord> records) {
        // The action's own records come first in a real trail; the verdict is what matters here.
        Verifier verifier = new Verifier();
        AuditChain chain = new AuditChain(KEY, 0, AuditChain.GENESIS);
        verifier.replay(chain.append(T.minusSeconds(2), "remediation-test", "d1", "web-01/service.errors-1", "web-01", "restart",
                "command:restart-unit", AuditChain.sha256(""), AuditOutcome.EXECUTED, null, ""), POLICY);
        verifier.replay(chain.append(T, "remediation-test", "d1", "web-01/service.errors-1", "web-01", "restart",
                "command:restart-unit", AuditChain.sha256(""), AuditOutcome.SUCCEEDED, null, "exit 0"), POLICY);
        records.forEach(record -> verifier.replay(record, POLICY));
        return verifier;
    }
}
