package dev.vigil.console.pages;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.console.ConsoleApprovals;
import dev.vigil.console.ConsoleMetrics;
import dev.vigil.console.auth.ConsoleUser;
import dev.vigil.console.data.AlertQueries;
import dev.vigil.console.data.PendingApproval;
import dev.vigil.console.data.RemediationTrail;
import dev.vigil.console.web.Html;
import dev.vigil.console.web.Layout;
import dev.vigil.console.web.Request;
import dev.vigil.console.web.Response;
import dev.vigil.runtime.config.Durations;
import dev.vigil.runtime.security.AccessControl;
import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.Role;
import dev.vigil.schemas.SilenceContract;

/**
 * {@code /approvals}: the decisions waiting for a person, with the proposed action, its parameters and what the policy says;
 * and {@code POST /approvals/ID}, an approver's answer. The console checks what the remediation consumer will check of the
 * user (an access-file user with the approver role whose scope covers the rule and the host's labels) and refuses with 403
 * what the consumer would refuse, before signing anything.
 */
public final class ApprovalsPage {

    private static final Logger log = LoggerFactory.getLogger(ApprovalsPage.class);
    static final int MAX_COMMENT = SilenceContract.MAX_REASON;

    private final RemediationTrail trail;
    private final AlertQueries alerts;
    private final AccessControl access;
    private final ConsoleApprovals approvals;
    private final ConsoleMetrics metrics;
    private final Clock clock;

    public ApprovalsPage(RemediationTrail trail, AlertQueries alerts, AccessControl access, ConsoleApprovals approvals, ConsoleMetrics metrics,
                         Clock clock) {
        this.trail = Objects.requireNonNull(trail, "trail can't be null");
        this.alerts = Objects.requireNonNull(alerts, "alerts can't be null");
        this.access = Objects.requireNonNull(access, "access can't be null");
        this.approvals = Objects.requireNonNull(approvals, "approvals can't be null");
        this.metrics = Objects.requireNonNull(metrics, "metrics can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    public Response render(Request request) {
        ConsoleUser user = request.requireUser();
        List<PendingApproval> pending = trail.pending(clock.instant());
        Html main = new Html();
        if (pending.isEmpty()) {
            main.element("p", "Nothing waits for approval.", "class", "empty");
        }
        for (PendingApproval approval : pending) {
            Optional<String> mayNot = user.has(Role.APPROVER) ? whyNot(user, approval) : Optional.of("needs the approver role");
            main.append(entry(request, approval, mayNot));
        }
        return Response.html(200, Layout.page(request, "Pending approvals", main));
    }

    public Response answer(Request request, Matcher path) {
        ConsoleUser user = request.requireUser();
        String decisionId = path.group(1);
        String decision = request.field("decision");
        if (!decision.equals("approve") && !decision.equals("deny")) {
            return Response.text(400, "decision must be approve or deny");
        }
        String comment = request.field("comment").strip();
        if (comment.length() > MAX_COMMENT) {
            return Response.text(400, "the comment is longer than " + MAX_COMMENT + " characters");
        }
        Optional<PendingApproval> pending = trail.pending(decisionId, clock.instant());
        if (pending.isEmpty()) {
            request.flash("Decision " + decisionId + " no longer waits (answered, lapsed or unknown); nothing was sent.");
            return Response.redirect("/approvals");
        }
        Optional<String> mayNot = whyNot(user, pending.get());
        if (mayNot.isPresent()) {
            metrics.forbidden().increment();
            log.warn("Refused {}'s {} of decision {} ({} on {}): {}", user.name(), decision, decisionId, pending.get().rule(),
                    pending.get().hostId(), mayNot.get());
            return Response.html(403, Layout.forbidden("You may not answer this decision: " + mayNot.get() + ".", "/approvals"));
        }
        boolean approved = decision.equals("approve");
        approvals.submit(decisionId, approved, user.name(), comment);
        metrics.approvalSubmitted(decision).increment();
        log.info("{} {} decision {} ({} on {}) through the console", user.name(), approved ? "approved" : "denied", decisionId,
                pending.get().rule(), pending.get().hostId());
        request.flash((approved ? "Approved " : "Denied ") + decisionId + " (" + pending.get().rule() + " on " + pending.get().hostId()
                + ") as " + user.name() + ", signed by the console; the audit trail shows when the remediation consumer takes it.");
        return Response.redirect("/approvals");
    }

    /** Why {@code user} may not answer {@code approval}, as the remediation consumer would say; empty when they may. */
    private Optional<String> whyNot(ConsoleUser user, PendingApproval approval) {
        Optional<AccessFile.User> entry = access.current().user(user.name());
        if (entry.isEmpty()) {
            return Optional.of(user.name() + " is no user of the access file, whose approver role the remediation consumer checks");
        }
        if (!Role.granted(entry.get().roles(), Role.APPROVER)) {
            return Optional.of("the access file does not give " + user.name() + " the approver role");
        }
        Map<String, String> labels = hostLabels(approval.hostId());
        if (!entry.get().approvals().covers(approval.rule(), labels)) {
            return Optional.of("your approval scope does not cover rule " + approval.rule() + " on " + approval.hostId());
        }
        return Optional.empty();
    }

    private Map<String, String> hostLabels(String hostId) {
        try {
            return alerts.hostLabels(hostId);
        } catch (RuntimeException e) {
            log.warn("The labels of host {} cannot be read from ClickHouse ({}); a scope limited by labels will not cover it", hostId, e.toString());
            return Map.of();
        }
    }

    private static Html entry(Request request, PendingApproval approval, Optional<String> mayNot) {
        Html entry = new Html();
        boolean acts = mayNot.isEmpty();
        if (acts) {
            entry.open("form", "class", "approval", "data-decision-id", approval.decisionId(), "method", "post", "action",
                    "/approvals/" + approval.decisionId());
        } else {
            entry.open("div", "class", "approval readonly", "data-decision-id", approval.decisionId());
        }
        entry.open("h2").text("Rule ").element("span", approval.rule(), "class", "rule").text(" on ")
                .element("span", approval.hostId(), "class", "host").close("h2");
        entry.open("dl");
        definition(entry, "Decision", approval.decisionId());
        definition(entry, "Alert", approval.alertId());
        definition(entry, "Proposed action", approval.action());
        entry.element("dt", "Parameters").open("dd", "class", "parameters");
        if (approval.parameters().isEmpty()) {
            entry.text("none");
        } else {
            entry.open("ul");
            new TreeMap<>(approval.parameters()).forEach((name, value) -> entry.open("li").element("code", name).text(" = ")
                    .element("code", value).close("li"));
            entry.close("ul");
        }
        entry.close("dd");
        definition(entry, "Policy", "approval required; the request lapses at " + AlertsPage.TIME.format(approval.expiresAt())
                + " (approval TTL " + Durations.format(approval.ttl()) + ")");
        definition(entry, "Asked", AlertsPage.TIME.format(approval.requestedAt()));
        entry.close("dl");
        if (acts) {
            entry.append(Layout.csrfField(request));
            entry.open("label").text("Comment ").element("textarea", "", "name", "comment", "maxlength", Integer.toString(MAX_COMMENT),
                    "rows", "2").close("label");
            entry.open("div", "class", "actions").element("button", "Approve", "type", "submit", "name", "decision", "value", "approve")
                    .element("button", "Deny", "type", "submit", "name", "decision", "value", "deny").close("div");
            entry.close("form");
        } else {
            entry.element("p", "You cannot answer it: " + mayNot.get() + ".", "class", "note");
            entry.close("div");
        }
        return entry;
    }

    private static void definition(Html html, String term, String value) {
        html.element("dt", term).element("dd", value);
    }
}
