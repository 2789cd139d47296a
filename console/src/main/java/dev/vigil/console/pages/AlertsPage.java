package dev.vigil.console.pages;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.vigil.console.data.AlertQueries;
import dev.vigil.console.data.OpenAlert;
import dev.vigil.console.web.Html;
import dev.vigil.console.web.Layout;
import dev.vigil.console.web.Request;
import dev.vigil.console.web.Response;
import dev.vigil.console.web.Sparkline;

/** {@code /alerts}: the open alerts, newest first, each with its reason and a sparkline of its series around it. */
public final class AlertsPage {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final AlertQueries alerts;

    public AlertsPage(AlertQueries alerts) {
        this.alerts = Objects.requireNonNull(alerts, "alerts can't be null");
    }

    public Response render(Request request) {
        List<OpenAlert> open = alerts.openAlerts();
        Html main = new Html();
        if (open.isEmpty()) {
            main.element("p", "No open alerts.", "class", "empty");
        }
        main.open("div", "class", "alerts");
        for (OpenAlert alert : open) {
            main.append(alert(alert));
        }
        main.close("div");
        return Response.html(200, Layout.page(request, "Open alerts", main));
    }

    static Html alert(OpenAlert alert) {
        Html card = new Html().open("article", "class", "alert severity-" + alert.severity().toLowerCase(java.util.Locale.ROOT),
                "data-alert-id", alert.alertId(), "data-host", alert.hostId());
        card.open("header").element("span", alert.severity(), "class", "severity").element("span", alert.kind(), "class", "kind")
                .element("span", alert.hostId(), "class", "host").element("span", alert.series(), "class", "series")
                .element("time", TIME.format(alert.startedAt()), "class", "opened", "datetime", alert.startedAt().toString()).close("header");
        card.element("p", alert.reasonText().isEmpty() ? "(no reason recorded)" : alert.reasonText(), "class", "reason");
        if (!alert.summary().isEmpty()) {
            card.element("p", alert.summary(), "class", "summary");
        }
        if (!alert.silencedBy().isEmpty()) {
            card.element("p", "silenced by " + alert.silencedBy(), "class", "silenced");
        }
        card.append(Sparkline.svg(alert.samples(), Optional.of(alert.startedAt().toEpochMilli()),
                alert.series() + " on " + alert.hostId() + " from " + AlertQueries.BEFORE.toMinutes() + " minutes before the alert until now"));
        return card.close("article");
    }
}
