package dev.vigil.console.data;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.console.web.Sparkline;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.tables.SinkTables;

/**
 * What the console reads from ClickHouse, where the sink keeps every alert event ({@code vigil_alerts}) and every scored sample
 * ({@code vigil_samples}): the open alerts with their reasons, and the samples of their series around them. Queries are
 * written for ClickHouse 18.16 and later (no query parameters there: every value from outside is a quoted literal), and read
 * as JSONEachRow with times as epoch seconds or milliseconds, so the server's time zone does not matter.
 */
public final class AlertQueries {

    /** The most alerts the page lists: the newest. */
    static final int MAX_ALERTS = 200;
    /** The sparkline starts this long before the alert did. */
    public static final Duration BEFORE = Duration.ofMinutes(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClickHouse clickHouse;

    public AlertQueries(ClickHouse clickHouse) {
        this.clickHouse = Objects.requireNonNull(clickHouse, "clickHouse can't be null");
    }

    /**
     * The alerts whose last event is not RESOLVED, newest first, each with the samples of its series from {@link #BEFORE} before
     * it started until now. The last event of an alert is the one at the highest offset: every event of an alert has its host
     * as key, hence one partition, in order.
     */
    public List<OpenAlert> openAlerts() {
        String alerts = clickHouse.database() + "." + SinkTables.ALERTS.name();
        String sql = "SELECT alert_id, argMax(event, kafka_offset) AS last_event, argMax(kind, kafka_offset) AS a_kind,"
                + " argMax(host_id, kafka_offset) AS a_host, argMax(host_labels.key, kafka_offset) AS a_host_label_keys,"
                + " argMax(host_labels.value, kafka_offset) AS a_host_label_values, argMax(metric, kafka_offset) AS a_metric,"
                + " argMax(labels.key, kafka_offset) AS a_label_keys, argMax(labels.value, kafka_offset) AS a_label_values,"
                + " argMax(severity, kafka_offset) AS a_severity, toUInt64(min(started_at)) AS a_started,"
                + " argMaxIf(reason_text, kafka_offset, reason_text != '') AS a_reason, argMax(summary, kafka_offset) AS a_summary,"
                + " argMax(evidence_series_id, kafka_offset) AS a_evidence, argMax(silenced_by, kafka_offset) AS a_silenced"
                + " FROM " + alerts + " GROUP BY alert_id HAVING last_event != 'RESOLVED' ORDER BY a_started DESC, alert_id LIMIT " + MAX_ALERTS;
        List<OpenAlert> open = new ArrayList<>();
        for (JsonNode row : rows(sql)) {
            List<String> evidence = strings(row.get("a_evidence"));
            open.add(new OpenAlert(row.get("alert_id").asText(), row.get("a_kind").asText(), row.get("a_host").asText(),
                    map(row.get("a_host_label_keys"), row.get("a_host_label_values")), row.get("a_metric").asText(),
                    map(row.get("a_label_keys"), row.get("a_label_values")), row.get("a_severity").asText(),
                    Instant.ofEpochSecond(row.get("a_started").asLong()), row.get("a_reason").asText(), row.get("a_summary").asText(),
                    evidence.isEmpty() ? "" : evidence.get(0), row.get("a_silenced").asText(), List.of()));
        }
        return withSamples(open);
    }

    /** The labels of {@code hostId} as its newest alert carries them: what an approver's scope is checked against. */
    public Map<String, String> hostLabels(String hostId) {
        String sql = "SELECT argMax(host_labels.key, kafka_offset) AS k, argMax(host_labels.value, kafka_offset) AS v FROM "
                + clickHouse.database() + "." + SinkTables.ALERTS.name() + " WHERE host_id = " + quote(hostId);
        List<JsonNode> rows = rows(sql);
        return rows.isEmpty() ? Map.of() : map(rows.get(0).get("k"), rows.get(0).get("v"));
    }

    /** One query for the samples of every alert's series (by series id, or host and metric when an alert names none). */
    private List<OpenAlert> withSamples(List<OpenAlert> open) {
        if (open.isEmpty()) {
            return open;
        }
        Instant since = open.stream().map(OpenAlert::startedAt).min(Instant::compareTo).orElseThrow().minus(BEFORE);
        List<String> seriesIds = open.stream().map(OpenAlert::seriesId).filter(id -> !id.isEmpty()).distinct().toList();
        if (seriesIds.isEmpty()) {
            return open;
        }
        String sql = "SELECT series_id, time_ms, value FROM " + clickHouse.database() + "." + SinkTables.SAMPLES.name()
                + " WHERE time >= toDateTime(" + since.getEpochSecond() + ") AND series_id IN ("
                + seriesIds.stream().map(AlertQueries::quote).collect(Collectors.joining(", ")) + ") ORDER BY series_id, time_ms LIMIT 200000";
        Map<String, List<Sparkline.Point>> bySeries = new HashMap<>();
        for (JsonNode row : rows(sql)) {
            bySeries.computeIfAbsent(row.get("series_id").asText(), id -> new ArrayList<>())
                    .add(new Sparkline.Point(row.get("time_ms").asLong(), row.get("value").asDouble()));
        }
        List<OpenAlert> complete = new ArrayList<>();
        for (OpenAlert alert : open) {
            long from = alert.startedAt().minus(BEFORE).toEpochMilli();
            complete.add(alert.withSamples(bySeries.getOrDefault(alert.seriesId(), List.of()).stream().filter(p -> p.time() >= from).toList()));
        }
        return complete;
    }

    private List<JsonNode> rows(String sql) {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : clickHouse.lines(sql, "JSONEachRow")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("ClickHouse answered a line that is not JSON", e);
            }
        }
        return rows;
    }

    /** A ClickHouse string literal: backslash and quote escaped, as the SQL dialect wants. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static Map<String, String> map(JsonNode keys, JsonNode values) {
        Map<String, String> map = new LinkedHashMap<>();
        Iterator<JsonNode> k = keys == null ? java.util.Collections.emptyIterator() : keys.elements();
        Iterator<JsonNode> v = values == null ? java.util.Collections.emptyIterator() : values.elements();
        while (k.hasNext() && v.hasNext()) {
            map.put(k.next().asText(), v.next().asText());
        }
        return map;
    }
}
