package dev.vigil.console;

import static dev.vigil.console.BrowserWalkthrough.passed;
import static dev.vigil.console.ConsoleFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.console.BrowserWalkthrough.Step;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * The console in a real browser (Debian's headless Chromium, driven by npm's playwright-core) on the real stack, with the
 * sink and the remediation consumer running: an approver logs in, sees the alert with its reason and sparkline, a viewer
 * finds the approval read-only and is refused when posting it anyway, the approver approves with a comment, the action runs
 * and the audit page shows it verified; logging out ends the session, for the browser and for anyone who kept the cookie.
 */
@ExtendWith(LocalStackExtension.class)
class ConsoleBrowserIT {

    @Test
    void shouldTakeAnOperatorFromLoginToAnAuditedApprovedActionInChromium(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String host = "browser-web-" + UUID.randomUUID().toString().substring(0, 6);
        String reason = "above its usual range: 0.970 where 0.100 to 0.400 is usual";
        try (ConsoleFixture fixture = ConsoleFixture.start(stack, dir)) {
            fixture.publishAlert(host, reason);
            String decision = fixture.awaitPendingDecision(host);

            List<Step> steps = BrowserWalkthrough.run(Map.of(
                    "baseUrl", fixture.url(),
                    "approver", Map.of("username", ConsoleFixture.APPROVER, "password", ConsoleFixture.PASSWORD),
                    "viewer", Map.of("username", ConsoleFixture.VIEWER, "password", ConsoleFixture.PASSWORD),
                    "alertHost", host,
                    "executedKinds", List.of(AuditOutcome.EXECUTED.name()),
                    "timeoutMs", 60_000), Path.of("target", "browser-walkthrough"), Duration.ofMinutes(4));

            passed(steps, "approver logs in");
            Step alert = passed(steps, "approver sees the alert with its reason and sparkline");
            assertThat(alert.text("reason")).isEqualTo(reason);
            assertThat(alert.details().path("sparklines").asInt()).isEqualTo(1);
            assertThat(passed(steps, "approver sees the pending approval").text("decisionId")).isEqualTo(decision);
            Step viewer = passed(steps, "viewer cannot approve");
            assertThat(viewer.details().path("readonly").asBoolean()).isTrue();
            assertThat(viewer.details().path("viewerButtons").asInt()).isZero();
            assertThat(viewer.details().path("forcedStatus").asInt()).isEqualTo(403);
            Step approved = passed(steps, "approver approves with a comment");
            assertThat(approved.text("flash")).isNotBlank();
            assertThat(approved.text("url")).endsWith("/approvals");
            Step audit = passed(steps, "the audit trail shows the approval and the action");
            assertThat(audit.details().path("approvedActors").toString()).contains(ConsoleFixture.APPROVER);
            assertThat(audit.details().path("executedRows").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(audit.text("verification")).startsWith("verified");
            Step logout = passed(steps, "logging out ends the session");
            assertThat(logout.text("afterLogout")).contains("/login");
            assertThat(logout.details().path("hadSessionCookie").asBoolean()).isTrue();
            assertThat(logout.details().path("replayedStatus").asInt()).isIn(302, 303, 401);
            if (logout.details().path("replayedStatus").asInt() != 401) {
                assertThat(logout.text("replayedLocation")).contains("/login");
            }

            // Outside the browser: the action ran once, and the trail says who approved it, signed by the console.
            await("the approved action run", () -> fixture.ran().contains("restarted " + host));
            assertThat(fixture.ran()).containsOnlyOnce("restarted " + host);
            List<AuditRecord> decided = fixture.trail().stream().filter(r -> r.getDecisionId().equals(decision)).toList();
            assertThat(decided).filteredOn(r -> r.getOutcome() == AuditOutcome.APPROVED).singleElement().satisfies(r -> {
                assertThat(r.getActor()).isEqualTo(ConsoleFixture.APPROVER);
                assertThat(r.getDetail()).contains("approved in the browser test");
            });
            assertThat(decided).extracting(AuditRecord::getOutcome).contains(AuditOutcome.EXECUTED);
            assertThat(decided).noneMatch(r -> r.getOutcome() == AuditOutcome.APPROVED && r.getActor().equals(ConsoleFixture.VIEWER));
        }
    }
}
