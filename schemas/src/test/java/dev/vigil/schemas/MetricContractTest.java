package dev.vigil.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricContractTest {

    @ParameterizedTest
    @ValueSource(strings = {"system.cpu.utilization", "http_requests_total", "job:http_requests:rate5m", "queue/depth", "a-b", "A"})
    void shouldAcceptOpenTelemetryAndPrometheusMetricNames(String name) {
        assertThat(MetricContract.metricNameProblem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9lives", "_private", "cpu load", "cpu{core=1}", "temp°"})
    void shouldRefuseMetricNamesOutsideTheRule(String name) {
        assertThat(MetricContract.metricNameProblem(name)).contains("is not a metric name").contains(MetricContract.METRIC_NAME_RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-01", "10.0.0.7", "db_2.eu-west-1.internal", "fe80::1", "a", "9"})
    void shouldAcceptHostIds(String id) {
        assertThat(MetricContract.isHostId(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-web", ".web", "_web", ":1", "web 01", "web/01", "wéb", "[::1]"})
    void shouldRefuseHostIdsOutsideTheRule(String id) {
        assertThat(MetricContract.isHostId(id)).isFalse();
    }

    @Test
    void shouldCapHostIdsAt253Characters() {
        assertThat(MetricContract.isHostId("h".repeat(253))).isTrue();
        assertThat(MetricContract.isHostId("h".repeat(254))).isFalse();
    }

    @Test
    void shouldCapMetricNamesAt255Characters() {
        assertThat(MetricContract.isMetricName("a".repeat(255))).isTrue();
        assertThat(MetricContract.isMetricName("a".repeat(256))).isFalse();
        assertThat(MetricContract.metricNameProblem("a".repeat(300))).as("a long name is cut in the message").hasSizeLessThan(200);
    }

    @Test
    void shouldAcceptPrometheusAndOpenTelemetryLabelNamesAndRefuseTheRest() {
        assertThat(MetricContract.labelsProblem(Map.of("k8s.pod.name", "web-1", "__name", "x", "le", "0.5"))).isNull();
        assertThat(MetricContract.labelsProblem(Map.of("a b", "1"))).contains("label name 'a b' is not a label name");
        assertThat(MetricContract.labelsProblem(Map.of("", "1"))).contains("is not a label name");
        assertThat(MetricContract.labelsProblem(Map.of("9", "1"))).contains("is not a label name");
        assertThat(MetricContract.isLabelName("a".repeat(MetricContract.MAX_LABEL_NAME))).isTrue();
        assertThat(MetricContract.isLabelName("a".repeat(MetricContract.MAX_LABEL_NAME + 1))).isFalse();
    }

    @Test
    void shouldBoundLabelValuesAndTheNumberOfLabels() {
        assertThat(MetricContract.labelProblem("path", "x".repeat(MetricContract.MAX_LABEL_VALUE))).isNull();
        assertThat(MetricContract.labelProblem("path", "x".repeat(MetricContract.MAX_LABEL_VALUE + 1)))
                .isEqualTo("label 'path' has a value of 1025 characters, at most 1024 allowed");
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i <= MetricContract.MAX_LABELS; i++) {
            labels.put("l" + i, "v");
        }
        assertThat(MetricContract.labelsProblem(labels)).isEqualTo("33 labels, at most 32 allowed");
    }

    @Test
    void shouldRefuseValuesThatAreNotFiniteAndUnitsOver63Characters() {
        assertThat(MetricContract.valueProblem(1.5)).isNull();
        assertThat(MetricContract.valueProblem(Double.NaN)).isEqualTo("value NaN is not finite");
        assertThat(MetricContract.valueProblem(Double.NEGATIVE_INFINITY)).contains("is not finite");
        assertThat(MetricContract.unitProblem("By/s")).isNull();
        assertThat(MetricContract.unitProblem("x".repeat(64))).isEqualTo("unit of 64 characters, at most 63 allowed");
    }
}
