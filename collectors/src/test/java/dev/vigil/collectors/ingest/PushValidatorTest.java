package dev.vigil.collectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.vigil.avro.MetricKind;
import dev.vigil.collectors.agent.AgentConfig.IngestLimits;
import dev.vigil.schemas.MetricContract;

class PushValidatorTest {

    private static final long NOW = 1_763_700_000_000L;

    private final PushValidator validator = new PushValidator(new IngestLimits(3, 2, 100, 1 << 20));

    private PushResult validate(String json) {
        return validator.validate(json.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void shouldAcceptWellFormedSamplesWithDefaults() {
        PushResult result = validate("""
                {"samples": [
                  {"name": "ml.training.loss", "value": 0.42, "labels": {"job": "resnet50"}, "unit": "1"},
                  {"name": "etl.rows", "value": 1200, "kind": "counter", "timestamp": %d}
                ]}""".formatted(NOW - 5_000));

        assertThat(result).isInstanceOfSatisfying(PushResult.Accepted.class, accepted -> {
            assertThat(accepted.samples()).hasSize(2);
            PushedSample loss = accepted.samples().get(0);
            assertThat(loss.name()).isEqualTo("ml.training.loss");
            assertThat(loss.labels()).containsEntry("job", "resnet50");
            assertThat(loss.kind()).isEqualTo(MetricKind.GAUGE);
            assertThat(loss.observedAtMillis()).isEqualTo(NOW);
            assertThat(accepted.samples().get(1).kind()).isEqualTo(MetricKind.COUNTER);
            assertThat(accepted.samples().get(1).observedAtMillis()).isEqualTo(NOW - 5_000);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                 | {"samples": [                                                  | malformed_json    | not valid JSON
            no samples array         | {"values": []}                                                 | no_samples        | "samples" array
            empty samples            | {"samples": []}                                                | no_samples        | empty
            sample not an object     | {"samples": [42]}                                              | invalid_sample    | samples[0]: must be an object
            missing name             | {"samples": [{"value": 1}]}                                    | invalid_name      | samples[0].name
            bad name                 | {"samples": [{"name": "9lives", "value": 1}]}                  | invalid_name      | samples[0].name
            reserved name            | {"samples": [{"name": "system.cpu.utilization", "value": 1}]}  | reserved_name     | agent's own sensors
            string value             | {"samples": [{"name": "a", "value": "1"}]}                     | invalid_value     | samples[0].value: must be a finite number
            huge value               | {"samples": [{"name": "a", "value": 1e999}]}                   | invalid_value     | finite
            negative counter         | {"samples": [{"name": "a", "value": -1, "kind": "counter"}]}   | invalid_value     | counter cannot be negative
            unknown kind             | {"samples": [{"name": "a", "value": 1, "kind": "histogram"}]}  | invalid_kind      | samples[0].kind
            too many labels          | {"samples": [{"name": "a", "value": 1, "labels": {"a":"1","b":"2","c":"3"}}]} | too_many_labels | at most 2
            bad label name           | {"samples": [{"name": "a", "value": 1, "labels": {"a b":"1"}}]} | invalid_labels   | samples[0].labels.a b
            non-string label         | {"samples": [{"name": "a", "value": 1, "labels": {"a": 1}}]}   | invalid_labels    | must be a string
            unknown field            | {"samples": [{"name": "a", "value": 1, "valeu": 2}]}           | unknown_field     | samples[0].valeu
            old timestamp            | {"samples": [{"name": "a", "value": 1, "timestamp": 1}]}       | invalid_timestamp | within the last day
            second sample bad        | {"samples": [{"name": "a", "value": 1}, {"name": "b"}]}        | invalid_value     | samples[1].value
            """)
    void shouldRefuseTheWholeRequestNamingTheFirstBadField(String what, String json, String reason, String message) {
        PushResult result = validate(json);

        assertThat(result).as(what).isInstanceOfSatisfying(PushResult.Rejected.class, rejected -> {
            assertThat(rejected.status()).isEqualTo(400);
            assertThat(rejected.reason()).isEqualTo(reason);
            assertThat(rejected.message()).contains(message);
        });
    }

    @Test
    void shouldAcceptWhatTheMetricContractAcceptsAndNothingMore() {
        String longestValue = "x".repeat(MetricContract.MAX_LABEL_VALUE);

        assertThat(validate("""
                {"samples": [{"name": "job:http_requests:rate5m", "value": 1, "labels": {"path": "%s"}}]}""".formatted(longestValue)))
                .as("a Prometheus recording-rule name, the longest label value").isInstanceOf(PushResult.Accepted.class);
        assertThat(validate("""
                {"samples": [{"name": "a", "value": 1, "labels": {"path": "%sx"}}]}""".formatted(longestValue)))
                .isInstanceOfSatisfying(PushResult.Rejected.class, rejected -> assertThat(rejected.message())
                        .isEqualTo("samples[0].labels.path: label 'path' has a value of 1025 characters, at most 1024 allowed"));
    }

    @Test
    void shouldAnswer413ForTooManySamplesInOneRequest() {
        PushResult result = validate("{\"samples\": [" + "{\"name\":\"a\",\"value\":1},".repeat(3) + "{\"name\":\"a\",\"value\":1}]}");

        assertThat(result).isInstanceOfSatisfying(PushResult.Rejected.class, rejected -> assertThat(rejected.status()).isEqualTo(413));
    }

    @Test
    void shouldBufferAllOrNothing() {
        PushBuffer buffer = new PushBuffer(3);
        PushedSample sample = new PushedSample("a", Map.of(), 1, "", MetricKind.GAUGE, NOW);

        assertThat(buffer.offer(List.of(sample, sample))).isTrue();
        assertThat(buffer.offer(List.of(sample, sample))).isFalse();
        assertThat(buffer.drain()).hasSize(2);
        assertThat(buffer.size()).isZero();
    }
}
