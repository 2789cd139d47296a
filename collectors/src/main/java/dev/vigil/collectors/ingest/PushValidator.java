package dev.vigil.collectors.ingest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.avro.MetricKind;
import dev.vigil.collectors.agent.AgentConfig.IngestLimits;
import dev.vigil.schemas.MetricContract;

/**
 * Checks what an application pushes to the agent's ingest endpoint before any of it can reach a batch.
 *
 * <p>A request is {@code {"samples": [{"name": ..., "value": ..., "labels": {...}, "unit": ..., "kind":
 * "gauge"|"counter", "timestamp": epochMillis}, ...]}}. It is taken whole or refused whole, with a message
 * naming the first wrong field ({@code samples[3].value: must be a finite number}), so one bad sample
 * can never poison a batch or leave half a request behind. Names, labels and units follow {@link MetricContract},
 * the rules the streams application checks again; the rest (the agent's reserved name prefixes, the per-request
 * limits) is the endpoint's own.
 */
public final class PushValidator {

    private static final Set<String> RESERVED_PREFIXES = Set.of("system.", "process.");
    private static final Set<String> FIELDS = Set.of("name", "value", "labels", "unit", "kind", "timestamp");
    private static final Duration MAX_AGE = Duration.ofDays(1);
    private static final Duration MAX_FUTURE = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IngestLimits limits;

    public PushValidator(IngestLimits limits) {
        this.limits = limits;
    }

    /** Validates one request body received at {@code nowMillis}. */
    public PushResult validate(byte[] body, long nowMillis) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return bad("malformed_json", "body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return bad("malformed_json", "body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("samples").isArray()) {
            return bad("no_samples", "body must be a JSON object with a \"samples\" array");
        }
        JsonNode samples = root.get("samples");
        if (samples.isEmpty()) {
            return bad("no_samples", "\"samples\" is empty");
        }
        if (samples.size() > limits.maxSamplesPerRequest()) {
            return new PushResult.Rejected(413, "too_many_samples",
                    samples.size() + " samples in one request; at most " + limits.maxSamplesPerRequest());
        }
        List<PushedSample> accepted = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            String where = "samples[" + i + "]";
            JsonNode sample = samples.get(i);
            if (!sample.isObject()) {
                return bad("invalid_sample", where + ": must be an object");
            }
            for (Iterator<String> fields = sample.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!FIELDS.contains(field)) {
                    return bad("unknown_field", where + "." + field + ": unknown field; known: name, value, labels, unit, kind, timestamp");
                }
            }
            String name = sample.path("name").asText("");
            if (!sample.path("name").isTextual() || !MetricContract.isMetricName(name)) {
                return bad("invalid_name", where + ".name: must be " + MetricContract.METRIC_NAME_RULE);
            }
            if (RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
                return bad("reserved_name", where + ".name: '" + name + "' is under system. or process., which the agent's own sensors use");
            }
            JsonNode value = sample.path("value");
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                return bad("invalid_value", where + ".value: must be a finite number");
            }
            MetricKind kind;
            String kindText = sample.path("kind").asText("gauge").toLowerCase(Locale.ROOT);
            if (kindText.equals("gauge")) {
                kind = MetricKind.GAUGE;
            } else if (kindText.equals("counter")) {
                kind = MetricKind.COUNTER;
                if (value.asDouble() < 0) {
                    return bad("invalid_value", where + ".value: a counter cannot be negative");
                }
            } else {
                return bad("invalid_kind", where + ".kind: must be \"gauge\" or \"counter\"");
            }
            Map<String, String> labels = new HashMap<>();
            JsonNode labelNode = sample.path("labels");
            if (!labelNode.isMissingNode()) {
                if (!labelNode.isObject()) {
                    return bad("invalid_labels", where + ".labels: must be an object of strings");
                }
                if (labelNode.size() > limits.maxLabels()) {
                    return bad("too_many_labels", where + ".labels: " + labelNode.size() + " labels; at most " + limits.maxLabels());
                }
                for (Map.Entry<String, JsonNode> label : labelNode.properties()) {
                    if (!label.getValue().isTextual()) {
                        return bad("invalid_labels", where + ".labels." + label.getKey() + ": must be a string");
                    }
                    String problem = MetricContract.labelProblem(label.getKey(), label.getValue().asText());
                    if (problem != null) {
                        return bad("invalid_labels", where + ".labels." + label.getKey() + ": " + problem);
                    }
                    labels.put(label.getKey(), label.getValue().asText());
                }
            }
            String unit = "";
            JsonNode unitNode = sample.path("unit");
            if (!unitNode.isMissingNode()) {
                if (!unitNode.isTextual() || MetricContract.unitProblem(unitNode.asText()) != null) {
                    return bad("invalid_unit", where + ".unit: must be a string of at most " + MetricContract.MAX_UNIT + " characters");
                }
                unit = unitNode.asText();
            }
            long observedAt = nowMillis;
            JsonNode timestamp = sample.path("timestamp");
            if (!timestamp.isMissingNode()) {
                if (!timestamp.canConvertToLong() || !timestamp.isIntegralNumber()) {
                    return bad("invalid_timestamp", where + ".timestamp: must be epoch milliseconds");
                }
                observedAt = timestamp.asLong();
                if (observedAt < nowMillis - MAX_AGE.toMillis() || observedAt > nowMillis + MAX_FUTURE.toMillis()) {
                    return bad("invalid_timestamp", where + ".timestamp: must be within the last day and at most 5 minutes ahead");
                }
            }
            accepted.add(new PushedSample(name, labels, value.asDouble(), unit, kind, observedAt));
        }
        return new PushResult.Accepted(accepted);
    }

    private static PushResult.Rejected bad(String reason, String message) {
        return new PushResult.Rejected(400, reason, message);
    }
}
