package dev.vigil.console.pages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.vigil.avro.AuditRecord;
import dev.vigil.console.web.Html;
import dev.vigil.console.web.Layout;
import dev.vigil.console.web.Request;
import dev.vigil.console.web.Response;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.approvals.ApprovalTrail;
import dev.vigil.remediation.audit.AuditCheckpoint;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.console.data.RemediationTrail;
import dev.vigil.runtime.security.AccessControl;

/**
 * {@code /audit}: the newest records of the remediation audit trail and the trail's verification status, as
 * {@code vigil audit verify} finds it: the chain (sequence, links, HMACs, checkpoints when the console can read them) and
 * every approval's signature against the access file's keys.
 */
public final class AuditPage {

    static final int SHOWN = 200;

    private final RemediationTrail trail;
    private final AuditVerifier verifier;
    private final Optional<Path> checkpoints;
    private final AccessControl access;

    public AuditPage(RemediationTrail trail, AuditVerifier verifier, Optional<Path> checkpoints, AccessControl access) {
        this.trail = Objects.requireNonNull(trail, "trail can't be null");
        this.verifier = Objects.requireNonNull(verifier, "verifier can't be null");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints can't be null");
        this.access = Objects.requireNonNull(access, "access can't be null");
    }

    public Response render(Request request) throws IOException {
        List<AuditRecord> records = trail.trail();
        Html main = new Html();
        String status = verification(records);
        main.element("p", status, "id", "verification", "class", status.startsWith("verified") ? "verified" : "broken");
        main.open("table", "class", "audit").open("thead").open("tr");
        for (String heading : new String[] {"#", "Time", "Outcome", "Rule", "Host", "Actor", "Detail"}) {
            main.element("th", heading);
        }
        main.close("tr").close("thead").open("tbody");
        for (int i = records.size() - 1; i >= Math.max(0, records.size() - SHOWN); i--) {
            AuditRecord record = records.get(i);
            String detail = record.getGuard() == null || record.getGuard().isEmpty() ? record.getDetail() : record.getGuard() + ": " + record.getDetail();
            main.open("tr", "data-kind", record.getOutcome().name(), "data-decision-id", record.getDecisionId())
                    .element("td", Long.toString(record.getSequence()), "class", "sequence")
                    .element("td", AlertsPage.TIME.format(record.getTimestamp()), "class", "time")
                    .element("td", record.getOutcome().name(), "class", "kind").element("td", record.getRule(), "class", "rule")
                    .element("td", record.getHostId(), "class", "host").element("td", record.getActor(), "class", "actor")
                    .element("td", detail, "class", "detail").close("tr");
        }
        main.close("tbody").close("table");
        return Response.html(200, Layout.page(request, "Audit trail", main));
    }

    /** {@code verified: ...} when the chain and every approval signature hold, else {@code broken: ...} naming where. */
    String verification(List<AuditRecord> records) throws IOException {
        List<AuditCheckpoint> vouching = checkpoints.isPresent() ? AuditTopic.checkpoints(checkpoints.get()) : List.of();
        AuditVerifier.Result chain = verifier.verify(records, vouching);
        if (chain instanceof AuditVerifier.Result.Broken broken) {
            return "broken: the chain breaks at record " + broken.sequence() + ": " + broken.problem();
        }
        AuditVerifier.Result.Intact intact = (AuditVerifier.Result.Intact) chain;
        ApprovalTrail.Result signatures = ApprovalTrail.verify(records, access.current());
        if (signatures instanceof ApprovalTrail.Result.Bad bad) {
            return "broken: an approval signature fails at record " + bad.sequence() + ": " + bad.problem();
        }
        ApprovalTrail.Result.Verified verified = (ApprovalTrail.Result.Verified) signatures;
        return "verified: chain intact, " + intact.records() + " records, " + (checkpoints.isPresent() ? intact.checkpoints() + " checkpoints"
                : "no checkpoints file (a cut-off tail would not show)") + "; approval signatures valid, " + verified.signed() + " signed"
                + (verified.unsigned() == 0 ? "" : ", " + verified.unsigned() + " unsigned");
    }
}
