package dev.vigil.console.pages;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.avro.Silence;
import dev.vigil.console.auth.ConsoleUser;
import dev.vigil.console.web.Html;
import dev.vigil.console.web.Layout;
import dev.vigil.console.web.Request;
import dev.vigil.console.web.Response;
import dev.vigil.remediation.OperatorRecords;
import dev.vigil.runtime.config.Durations;
import dev.vigil.runtime.security.Role;
import dev.vigil.schemas.SilenceContract;

/**
 * {@code /silences}: the silences in force and to come; an operator adds one (hosts, labels, metric pattern, duration, reason)
 * or ends one early. The records are the ones {@code vigil silence} writes ({@link OperatorRecords}), checked by
 * {@link SilenceContract}; the author is the signed-in user.
 */
public final class SilencesPage {

    private static final Logger log = LoggerFactory.getLogger(SilencesPage.class);

    private final OperatorRecords records;
    private final Clock clock;

    public SilencesPage(OperatorRecords records, Clock clock) {
        this.records = Objects.requireNonNull(records, "records can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    public Response render(Request request) {
        Instant now = clock.instant();
        boolean all = request.query().containsKey("all");
        boolean operator = request.requireUser().has(Role.OPERATOR);
        List<Silence> shown = records.silences().stream().filter(s -> all || !SilenceContract.hasEnded(s, now)).toList();
        Html main = new Html();
        if (shown.isEmpty()) {
            main.element("p", all ? "No silences." : "No silences in force or to come.", "class", "empty");
        } else {
            main.open("table", "class", "silences").open("thead").open("tr");
            for (String heading : new String[] {"Id", "State", "Starts", "Ends", "Hosts", "Labels", "Metric", "By", "Reason", ""}) {
                main.element("th", heading);
            }
            main.close("tr").close("thead").open("tbody");
            for (Silence silence : shown) {
                main.append(row(request, silence, now, operator));
            }
            main.close("tbody").close("table");
        }
        main.open("p").element("a", all ? "Hide ended silences" : "Show ended silences too", "href", all ? "/silences" : "/silences?all").close("p");
        if (operator) {
            main.append(addForm(request));
        }
        return Response.html(200, Layout.page(request, "Silences", main));
    }

    public Response add(Request request) {
        ConsoleUser user = request.requireUser();
        Instant now = clock.instant();
        Duration duration;
        try {
            duration = Durations.parse(request.field("duration").strip());
        } catch (IllegalArgumentException e) {
            request.flash("Silence refused: duration: " + e.getMessage());
            return Response.redirect("/silences");
        }
        Map<String, String> labels;
        try {
            labels = labels(request.field("labels"));
        } catch (IllegalArgumentException e) {
            request.flash("Silence refused: labels: " + e.getMessage());
            return Response.redirect("/silences");
        }
        List<String> hosts = Arrays.stream(request.field("hosts").split("[,\\s]+")).map(String::strip).filter(h -> !h.isEmpty()).toList();
        String metric = request.field("metric").strip();
        Silence silence = SilenceContract.create(null, hosts, labels, metric.isEmpty() ? null : metric, now, now.plus(duration), user.name(),
                request.field("reason").strip(), now);
        try {
            records.addSilence(silence, now);
        } catch (OperatorRecords.SilenceRefused refused) {
            request.flash("Silence refused: " + refused.field() + ": " + refused.getMessage());
            return Response.redirect("/silences");
        }
        log.info("{} added silence {} until {} through the console", user.name(), silence.getSilenceId(), silence.getEndsAt());
        request.flash("Silence " + silence.getSilenceId() + " added, until " + AlertsPage.TIME.format(silence.getEndsAt()) + ".");
        return Response.redirect("/silences");
    }

    public Response expire(Request request, Matcher path) {
        ConsoleUser user = request.requireUser();
        String id = path.group(1);
        try {
            records.expireSilence(id, user.name(), clock.instant());
        } catch (OperatorRecords.SilenceRefused refused) {
            request.flash("Not ended: " + refused.getMessage() + ".");
            return Response.redirect("/silences");
        }
        log.info("{} ended silence {} through the console", user.name(), id);
        request.flash("Silence " + id + " ended.");
        return Response.redirect("/silences");
    }

    /** {@code environment=prod, role=web} as labels. */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split("[,\\n]")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("write each as NAME=VALUE, not '" + pair.strip() + "'");
            }
            labels.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
        }
        return labels;
    }

    private static Html row(Request request, Silence silence, Instant now, boolean operator) {
        String state = SilenceContract.hasEnded(silence, now) ? "ended" : SilenceContract.isActive(silence, now) ? "active" : "pending";
        Html row = new Html().open("tr", "data-silence-id", silence.getSilenceId(), "data-state", state);
        row.element("td", silence.getSilenceId(), "class", "id").element("td", state, "class", "state")
                .element("td", AlertsPage.TIME.format(silence.getStartsAt())).element("td", AlertsPage.TIME.format(silence.getEndsAt()))
                .element("td", silence.getHosts().isEmpty() ? "any" : String.join(", ", silence.getHosts()))
                .element("td", silence.getHostLabels().isEmpty() ? "any" : new java.util.TreeMap<>(silence.getHostLabels()).toString())
                .element("td", silence.getMetric() == null ? "every alert" : silence.getMetric())
                .element("td", silence.getExpiredBy() == null ? silence.getAuthor() : silence.getAuthor() + ", ended by " + silence.getExpiredBy())
                .element("td", silence.getReason(), "class", "reason");
        row.open("td");
        if (operator && !state.equals("ended")) {
            row.open("form", "class", "expire", "method", "post", "action", "/silences/" + silence.getSilenceId() + "/expire")
                    .append(Layout.csrfField(request)).element("button", "End now", "type", "submit").close("form");
        }
        return row.close("td").close("tr");
    }

    private static Html addForm(Request request) {
        Html form = new Html().element("h2", "Add a silence");
        form.open("form", "id", "add-silence", "method", "post", "action", "/silences").append(Layout.csrfField(request));
        field(form, "Hosts (comma-separated; empty: any)", "hosts", "web-01, web-02", false);
        field(form, "Host labels (NAME=VALUE, comma-separated)", "labels", "environment=staging", false);
        field(form, "Metric (regular expression; empty: every alert)", "metric", "system\\.disk\\..*", false);
        field(form, "For", "duration", "2h", true);
        field(form, "Reason", "reason", "maintenance window", true);
        return form.element("button", "Add silence", "type", "submit").close("form");
    }

    private static void field(Html form, String label, String name, String placeholder, boolean required) {
        form.open("label").text(label + " ").empty("input", "name", name, "placeholder", placeholder, "required?", required ? "" : null)
                .close("label");
    }
}
