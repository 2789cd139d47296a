package dev.vigil.streams;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vigil.avro.Silence;
import dev.vigil.runtime.config.Durations;
import dev.vigil.schemas.SilenceContract;

/**
 * Silences as the HTTP API reads and writes them: the {@link Silence} record's fields by name, times as ISO-8601
 * instants, plus {@code duration} as another way to give the end and {@code state} on the way out. A field that is
 * unknown or of the wrong shape is a {@link BadField} naming it; what the contract refuses is named the same way.
 */
final class SilenceJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CREATE_FIELDS = new TreeSet<>(List.of("silenceId", "hosts", "hostLabels", "metric", "startsAt",
            "endsAt", "duration", "author", "reason"));

    private SilenceJson() {
    }

    /** A request that cannot be taken: the field at fault and why. */
    static final class BadField extends Exception {
        private final String field;

        BadField(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /** The silence a create request describes, checked against the contract at {@code now}. */
    static Silence create(JsonNode body, Instant now) throws BadField {
        if (body == null || !body.isObject()) {
            throw new BadField("body", "must be a JSON object with hosts, hostLabels or metric, endsAt or duration, author and reason");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!CREATE_FIELDS.contains(name)) {
                throw new BadField(name, "unknown field; known: " + CREATE_FIELDS);
            }
        }
        Instant startsAt = body.has("startsAt") ? instant(body, "startsAt") : now;
        Instant endsAt;
        if (body.has("endsAt") == body.has("duration")) {
            throw new BadField("endsAt", "a silence must end: give endsAt (an instant) or duration (such as 2h), one of them");
        } else if (body.has("endsAt")) {
            endsAt = instant(body, "endsAt");
        } else {
            Duration duration;
            try {
                duration = Durations.parse(text(body, "duration"));
            } catch (IllegalArgumentException e) {
                throw new BadField("duration", "expected a duration such as 30m or 2h, got '" + body.get("duration").asText() + "'");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new BadField("duration", "must be positive");
            }
            endsAt = startsAt.plus(duration);
        }
        Silence silence = SilenceContract.create(body.has("silenceId") ? text(body, "silenceId") : null, strings(body, "hosts"),
                labels(body, "hostLabels"), body.has("metric") ? text(body, "metric") : null, startsAt, endsAt,
                body.has("author") ? text(body, "author") : "", body.has("reason") ? text(body, "reason") : "", now);
        List<SilenceContract.Problem> problems = SilenceContract.problemsOfNew(silence, now);
        if (!problems.isEmpty()) {
            throw new BadField(problems.get(0).field(), problems.get(0).message());
        }
        return silence;
    }

    /** Who ends a silence early, from an expire request. */
    static String expiredBy(JsonNode body) throws BadField {
        if (body == null || !body.isObject() || !body.has("author")) {
            throw new BadField("author", "say who ends the silence: {\"author\": \"NAME\"}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("author")) {
                throw new BadField(name, "unknown field; known: [author]");
            }
        }
        String author = text(body, "author");
        if (author.isBlank() || author.length() > SilenceContract.MAX_NAME) {
            throw new BadField("author", "who ends a silence must be named (1 to " + SilenceContract.MAX_NAME + " characters)");
        }
        return author;
    }

    static ObjectNode toJson(Silence silence, Instant now) {
        ObjectNode node = JSON.createObjectNode().put("silenceId", silence.getSilenceId());
        ArrayNode hosts = node.putArray("hosts");
        silence.getHosts().forEach(hosts::add);
        node.set("hostLabels", JSON.valueToTree(silence.getHostLabels()));
        if (silence.getMetric() == null) {
            node.putNull("metric");
        } else {
            node.put("metric", silence.getMetric());
        }
        node.put("startsAt", silence.getStartsAt().toString()).put("endsAt", silence.getEndsAt().toString())
                .put("author", silence.getAuthor()).put("reason", silence.getReason()).put("createdAt", silence.getCreatedAt().toString());
        if (silence.getExpiredBy() == null) {
            node.putNull("expiredBy");
        } else {
            node.put("expiredBy", silence.getExpiredBy());
        }
        node.put("state", SilenceContract.hasEnded(silence, now) ? "ended" : SilenceContract.isActive(silence, now) ? "active" : "pending");
        return node;
    }

    private static String text(JsonNode body, String field) throws BadField {
        JsonNode value = body.get(field);
        if (!value.isTextual()) {
            throw new BadField(field, "must be a string");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode body, String field) throws BadField {
        String text = text(body, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new BadField(field, "expected an ISO-8601 instant such as 2026-11-30T22:00:00Z, got '" + text + "'");
        }
    }

    private static List<String> strings(JsonNode body, String field) throws BadField {
        List<String> values = new ArrayList<>();
        JsonNode node = body.get(field);
        if (node == null) {
            return values;
        }
        if (!node.isArray()) {
            throw new BadField(field, "must be a list of strings");
        }
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                throw new BadField(field, "must be a list of strings");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static Map<String, String> labels(JsonNode body, String field) throws BadField {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode node = body.get(field);
        if (node == null) {
            return labels;
        }
        if (!node.isObject()) {
            throw new BadField(field, "must be an object of label names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext();) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!entry.getValue().isTextual()) {
                throw new BadField(field, "the value of " + entry.getKey() + " must be a string");
            }
            labels.put(entry.getKey(), entry.getValue().asText());
        }
        return labels;
    }
}
