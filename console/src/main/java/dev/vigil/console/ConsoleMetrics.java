package dev.vigil.console;

import java.time.Duration;

import dev.vigil.console.auth.SessionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** What the console counts, on its {@code /metrics}: logins, refusals, approvals given, and how long pages take. */
public final class ConsoleMetrics {

    private final MeterRegistry registry;

    public ConsoleMetrics(MeterRegistry registry, SessionStore sessions) {
        this.registry = registry;
        Gauge.builder("vigil.console.sessions", sessions, SessionStore::size).description("live sessions").register(registry);
        for (String outcome : new String[] {"ok", "failed", "locked"}) {
            login(outcome);
        }
        for (String reason : new String[] {"missing", "wrong", "origin"}) {
            csrfRefused(reason);
        }
    }

    /** {@code vigil_console_logins_total{outcome=ok|failed|locked}}: locked counts attempts refused during a lockout. */
    public Counter login(String outcome) {
        return Counter.builder("vigil.console.logins").description("login attempts by outcome").tag("outcome", outcome).register(registry);
    }

    /** {@code vigil_console_csrf_refused_total{reason=missing|wrong|origin}}. */
    public Counter csrfRefused(String reason) {
        return Counter.builder("vigil.console.csrf.refused").description("POSTs refused for a missing or wrong CSRF token or a foreign Origin")
                .tag("reason", reason).register(registry);
    }

    /** {@code vigil_console_forbidden_total}: requests of a signed-in user for what their roles do not allow. */
    public Counter forbidden() {
        return Counter.builder("vigil.console.forbidden").description("requests refused for a missing role or approval scope").register(registry);
    }

    /** {@code vigil_console_approvals_submitted_total{decision=approve|deny}}. */
    public Counter approvalSubmitted(String decision) {
        return Counter.builder("vigil.console.approvals.submitted").description("signed answers published on vigil.remediation.approvals")
                .tag("decision", decision).register(registry);
    }

    /** {@code vigil_console_oidc_refused_total{problem}}. */
    public Counter oidcRefused(String problem) {
        return Counter.builder("vigil.console.oidc.refused").description("bearer JWTs refused").tag("problem", problem).register(registry);
    }

    /** {@code vigil_console_page_render_seconds{page}}: from request to the last byte written. */
    public void rendered(String page, Duration took) {
        Timer.builder("vigil.console.page.render").description("time to answer a console request").tag("page", page).register(registry)
                .record(took);
    }
}
