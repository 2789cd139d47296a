package dev.vigil.console;

import static dev.vigil.console.ConsoleFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * The console as an operator uses it, on the real broker, registry and ClickHouse, with the sink and the remediation consumer
 * running: an approver logs in, sees the alert with its reason and its sparkline, finds the decision waiting, approves it with
 * the form's CSRF token, and the consumer runs the action, its trail saying APPROVED by the user, signed by the console. A POST
 * without or with a wrong CSRF token, from another origin, or of a viewer is refused with 403; logging out ends the session.
 */
@ExtendWith(LocalStackExtension.class)
class ConsoleIT {

    @Test
    void shouldLetAnApproverApproveWhatThePolicyHoldsAndRefuseEverythingElse(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String host = "console-web-" + UUID.randomUUID().toString().substring(0, 6);
        String reason = "above its usual range: 0.970 where 0.100 to 0.400 is usual <b>not bold</b>";
        try (ConsoleFixture fixture = ConsoleFixture.start(stack, dir)) {
            fixture.publishAlert(host, reason);
            String decision = fixture.awaitPendingDecision(host);
            ConsoleClient alice = new ConsoleClient(fixture.url());

            // Login: the form, a wrong password, then the right one.
            HttpResponse<String> form = alice.get("/login");
            assertThat(form.statusCode()).isEqualTo(200);
            assertThat(form.body()).contains("<form id=\"login\" method=\"post\" action=\"/login\">", "name=\"username\"", "name=\"password\"",
                    "type=\"submit\"");
            assertThat(form.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'")
                    .contains("frame-ancestors 'none'"));
            assertThat(form.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(form.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(form.headers().firstValue("Referrer-Policy")).contains("same-origin");
            assertThat(form.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(form.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie).startsWith("vigil_login=")
                    .contains("HttpOnly", "SameSite=Strict"));
            HttpResponse<String> forged = new ConsoleClient(fixture.url()).post("/login",
                    Map.of("username", ConsoleFixture.APPROVER, "password", ConsoleFixture.PASSWORD));
            assertThat(forged.statusCode()).as("the right password without the login form's token, as another site would post it")
                    .isEqualTo(403);
            assertThat(forged.headers().firstValue("Set-Cookie")).as("no session for it").isEmpty();
            HttpResponse<String> wrong = alice.login(ConsoleFixture.APPROVER, "not the password");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("class=\"error\"");
            assertThat(alice.session()).isEmpty();
            HttpResponse<String> in = alice.login(ConsoleFixture.APPROVER, ConsoleFixture.PASSWORD);
            assertThat(in.statusCode()).isEqualTo(303);
            assertThat(in.headers().firstValue("Location")).contains("/alerts");
            assertThat(in.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie).startsWith("vigil_session=")
                    .contains("HttpOnly", "SameSite=Strict", "Path=/"));

            // The alert, with its reason (escaped) and its sparkline, once the sink has written it.
            await("the alert on /alerts", () -> alice.get("/alerts").body().contains("data-host=\"" + host + "\""));
            String alerts = alice.get("/alerts").body();
            assertThat(alerts).contains("<span id=\"whoami\">alice</span>", "<form id=\"logout\" method=\"post\" action=\"/logout\">");
            String card = between(alerts, "data-host=\"" + host + "\"", "</article>");
            assertThat(card).contains("class=\"reason\">" + reason.replace("<", "&lt;").replace(">", "&gt;") + "</p>")
                    .contains("<svg class=\"sparkline\"").contains("<polyline");
            await("the sparkline's samples", () -> between(alice.get("/alerts").body(), "data-host=\"" + host + "\"", "</article>")
                    .matches("(?s).*points=\"[0-9., ]{40,}\".*"));

            // The decision waits on /approvals with its action, parameters and policy.
            String approvals = alice.get("/approvals").body();
            String entry = between(approvals, "data-decision-id=\"" + decision + "\"", "</form>");
            assertThat(approvals).contains("<form class=\"approval\" data-decision-id=\"" + decision + "\" method=\"post\" action=\"/approvals/"
                    + decision + "\">");
            assertThat(entry).contains(ConsoleFixture.RULE, host, "command:restart", "approval required", "name=\"comment\"",
                    "name=\"decision\" value=\"approve\"", "name=\"decision\" value=\"deny\"", "name=\"csrf\"");
            String csrf = ConsoleClient.csrf(entry);

            // Refused: no CSRF token, a wrong one, another origin.
            assertThat(alice.post("/approvals/" + decision, Map.of("decision", "approve", "comment", "no token")).statusCode()).isEqualTo(403);
            assertThat(alice.post("/approvals/" + decision, Map.of("decision", "approve", "csrf", "x" + csrf)).statusCode()).isEqualTo(403);
            assertThat(alice.post("/approvals/" + decision, Map.of("decision", "approve", "csrf", csrf), "https://evil.example").statusCode())
                    .isEqualTo(403);

            // A viewer sees the entry read-only and may not answer it.
            ConsoleClient victor = new ConsoleClient(fixture.url());
            assertThat(victor.login(ConsoleFixture.VIEWER, ConsoleFixture.PASSWORD).statusCode()).isEqualTo(303);
            String readOnly = victor.get("/approvals").body();
            assertThat(readOnly).contains("<div class=\"approval readonly\" data-decision-id=\"" + decision + "\">")
                    .doesNotContain("value=\"approve\"");
            assertThat(victor.post("/approvals/" + decision, Map.of("decision", "approve", "csrf", ConsoleClient.csrf(readOnly)))
                    .statusCode()).isEqualTo(403);
            assertThat(fixture.ran()).as("nothing refused ran").isEmpty();

            // The approver approves: the consumer takes it and runs the action.
            HttpResponse<String> approved = alice.post("/approvals/" + decision, Map.of("decision", "approve", "comment", "go ahead", "csrf", csrf));
            assertThat(approved.statusCode()).isEqualTo(303);
            assertThat(approved.headers().firstValue("Location")).contains("/approvals");
            assertThat(alice.get("/approvals").body()).contains("class=\"flash\"");
            await("the approved action ran", () -> fixture.ran().contains("restarted " + host));
            List<AuditRecord> mine = fixture.trail().stream().filter(r -> r.getDecisionId().equals(decision)).toList();
            assertThat(mine.stream().filter(r -> r.getOutcome() == AuditOutcome.APPROVED)).singleElement().satisfies(record -> {
                assertThat(record.getActor()).isEqualTo(ConsoleFixture.APPROVER);
                assertThat(record.getDetail()).startsWith("signed by console for alice, nonce ").endsWith("; comment: go ahead");
            });
            await("the outcome audited", () -> fixture.trail().stream().anyMatch(r -> r.getDecisionId().equals(decision)
                    && r.getOutcome() == AuditOutcome.SUCCEEDED));
            assertThat(alice.get("/approvals").body()).doesNotContain("data-decision-id=\"" + decision + "\"");

            // The audit page shows it, and that the trail verifies.
            String audit = alice.get("/audit").body();
            assertThat(audit).contains("<tr data-kind=\"APPROVED\" data-decision-id=\"" + decision + "\">",
                    "<tr data-kind=\"EXECUTED\" data-decision-id=\"" + decision + "\">");
            assertThat(between(audit, "<tr data-kind=\"APPROVED\" data-decision-id=\"" + decision + "\">", "</tr>"))
                    .contains("<td class=\"actor\">alice</td>");
            Matcher verification = Pattern.compile("<p id=\"verification\" class=\"[a-z]+\">([^<]*)</p>").matcher(audit);
            assertThat(verification.find()).isTrue();
            assertThat(verification.group(1)).startsWith("verified");

            // Metrics, for a viewer token.
            String metrics = alice.get("/metrics", fixture.viewerToken()).body();
            assertThat(metrics).contains("vigil_console_logins_total{outcome=\"ok\"} 2.0", "vigil_console_logins_total{outcome=\"failed\"} 1.0",
                    "vigil_console_csrf_refused_total{reason=\"missing\"} 2.0", "vigil_console_csrf_refused_total{reason=\"wrong\"} 1.0",
                    "vigil_console_csrf_refused_total{reason=\"origin\"} 1.0", "vigil_console_approvals_submitted_total{decision=\"approve\"} 1.0",
                    "vigil_console_page_render_seconds_count{page=\"alerts\"}");

            // Logout ends the session: the old cookie leads to the login page.
            String old = alice.session().orElseThrow();
            String page = alice.get("/alerts").body();
            assertThat(alice.post("/logout", Map.of("csrf", ConsoleClient.csrf(between(page, "<form id=\"logout\"", "</form>")))).statusCode())
                    .isEqualTo(303);
            alice.useSession(old);
            HttpResponse<String> after = alice.get("/alerts");
            assertThat(after.statusCode()).isEqualTo(303);
            assertThat(after.headers().firstValue("Location")).contains("/login");
        }
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("'%s' on the page", from).isGreaterThanOrEqualTo(0);
        int end = text.indexOf(to, start);
        return end < 0 ? text.substring(start) : text.substring(start, end + to.length());
    }
}
