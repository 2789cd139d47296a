package dev.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.clickhouse.ClickHouseRefusedException;
import dev.vigil.sinks.clickhouse.ClickHouseUnavailableException;

/**
 * What {@code vigil dev} shows while it runs, read at a glance: every few seconds the ingest rate, the hosts,
 * the open alerts with their evidence, and what remediation decided; read from the streams application's
 * counter and from ClickHouse, so it also shows that the whole pipeline is flowing. On a terminal it redraws in
 * place; otherwise (a script, a CI log) it prints one block per refresh. At the end, the rows of every table.
 */
final class DevStatusView implements AutoCloseable {

    static final List<String> TABLES = List.of("vigil_samples", "vigil_rollups", "vigil_forecasts", "vigil_alerts", "vigil_remediation_audit");
    private static final String CLEAR = "\033[H\033[2J";
    /** Room for a summary beside the severity and the host, on a terminal 130 characters wide. */
    private static final int SUMMARY_WIDTH = 100;
    /** A host alert's summary names up to five series with their reasons: it may take a few lines, not a screen. */
    private static final int SUMMARY_LINES = 4;

    private final PrintWriter out;
    private final ClickHouse clickHouse;
    private final DoubleSupplier samplesScored;
    private final boolean terminal;
    private final ScheduledExecutorService timer;
    private final Duration every;
    private double lastScored;
    private long lastNanos;

    DevStatusView(PrintWriter out, ClickHouse clickHouse, DoubleSupplier samplesScored, boolean terminal, Duration every) {
        this.out = out;
        this.clickHouse = clickHouse;
        this.samplesScored = samplesScored;
        this.terminal = terminal;
        this.every = every;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigil-dev-view");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        lastNanos = System.nanoTime();
        timer.scheduleWithFixedDelay(this::render, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void render() {
        StringBuilder view = new StringBuilder(terminal ? CLEAR : "");
        double scored = samplesScored.getAsDouble();
        long now = System.nanoTime();
        double rate = (scored - lastScored) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastScored = scored;
        lastNanos = now;
        try {
            String[] fleet = clickHouse.lines("SELECT uniqExact(host_id), uniqExact(series_id), countIf(anomalous = 1)"
                    + " FROM vigil.vigil_samples")
                    .get(0).split("\t");
            view.append(String.format("Vigil dev | ingest %,.0f samples/s (%,.0f scored) | %s hosts, %s series | %s anomalous samples%n",
                    rate, scored, fleet[0], fleet[1], fleet[2]));
            List<String> open = clickHouse.lines("SELECT host_id, metric, severity, peak, silenced, summary FROM (SELECT alert_id,"
                    + " any(host_id) AS host_id, any(metric) AS metric, max(severity) AS severity, max(peak_score) AS peak,"
                    + " argMax(silenced_by, event_time) AS silenced, argMax(summary, event_time) AS summary,"
                    + " argMax(event, event_time) AS last FROM vigil.vigil_alerts GROUP BY alert_id) WHERE last != 'RESOLVED'"
                    + " ORDER BY peak DESC LIMIT 5");
            long openCount = Long.parseLong(clickHouse.lines("SELECT count() FROM (SELECT alert_id, argMax(event, event_time) AS last"
                    + " FROM vigil.vigil_alerts GROUP BY alert_id) WHERE last != 'RESOLVED'").get(0));
            view.append(String.format("Open alerts: %d%s%n", openCount, openCount > open.size() ? " (worst " + open.size() + ")" : ""));
            for (String alert : open) {
                String[] a = alert.split("\t", 6);
                List<String> lines = wrap(a[5] + " (peak %.2f)".formatted(Double.parseDouble(a[3])) + (a[4].isEmpty() ? "" : " [silenced by " + a[4] + "]"),
                        SUMMARY_WIDTH, SUMMARY_LINES);
                view.append(String.format("  %-8s %-16s %s%n", a[2], a[0], lines.get(0)));
                lines.subList(1, lines.size()).forEach(line -> view.append(" ".repeat(28)).append(line).append(System.lineSeparator()));
            }
            List<String> outcomes = clickHouse.lines("SELECT outcome, count() FROM vigil.vigil_remediation_audit GROUP BY outcome ORDER BY outcome");
            view.append("Remediation (dry run): ").append(outcomes.isEmpty() ? "no decision yet"
                    : String.join(", ", outcomes.stream().map(line -> line.replace('\t', ' ')).toList())).append(System.lineSeparator());
        } catch (ClickHouseUnavailableException | ClickHouseRefusedException | IndexOutOfBoundsException e) {
            view.append(String.format("Vigil dev | ingest %,.0f samples/s | ClickHouse not answering yet: %s%n", rate, e.getMessage()));
        }
        out.print(view);
        out.flush();
    }

    /**
     * {@code text} in lines of at most {@code width} characters, broken between words, at most {@code maxLines} of
     * them (the last ending in "..." when cut): a summary says which test fired only after the series' name, so it
     * is wrapped rather than cut at the screen's edge.
     */
    static List<String> wrap(String text, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        if (lines.size() > maxLines) {
            String last = lines.get(maxLines - 1);
            lines = new ArrayList<>(lines.subList(0, maxLines));
            lines.set(maxLines - 1, (last.length() > width - 4 ? last.substring(0, width - 4) : last) + " ...");
        }
        return lines;
    }

    /** One line: the rows every table holds. */
    String tableRows() {
        StringBuilder rows = new StringBuilder("ClickHouse rows:");
        for (String table : TABLES) {
            String count;
            try {
                count = clickHouse.lines("SELECT count() FROM vigil." + table).get(0);
            } catch (RuntimeException e) {
                count = "?";
            }
            rows.append(' ').append(table).append('=').append(count);
        }
        return rows.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        out.println(tableRows());
        out.flush();
        clickHouse.close();
    }
}
