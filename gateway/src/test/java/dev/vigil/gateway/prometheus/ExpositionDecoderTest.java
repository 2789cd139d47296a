package dev.vigil.gateway.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.prometheus.exposition.Metrics;

class ExpositionDecoderTest {

    @Test
    void shouldExpandFamiliesIntoTheSeriesNamesOfTheTextFormatWithTheTargetLabelsWinning() throws Exception {
        // given: what node_exporter answers to the protobuf Accept header, built with the generated classes
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Metrics.MetricFamily.newBuilder().setName("node_cpu_seconds_total").setType(Metrics.MetricType.COUNTER)
                .addMetric(Metrics.Metric.newBuilder().addLabel(pair("cpu", "0")).addLabel(pair("mode", "idle"))
                        .addLabel(pair("job", "exposed")).setCounter(Metrics.Counter.newBuilder().setValue(42.5)))
                .build().writeDelimitedTo(body);
        Metrics.MetricFamily.newBuilder().setName("go_gc_duration_seconds").setType(Metrics.MetricType.SUMMARY)
                .addMetric(Metrics.Metric.newBuilder().setSummary(Metrics.Summary.newBuilder().setSampleCount(3).setSampleSum(0.5)
                        .addQuantile(Metrics.Quantile.newBuilder().setQuantile(0.5).setValue(0.1))))
                .build().writeDelimitedTo(body);
        Metrics.MetricFamily.newBuilder().setName("http_seconds").setType(Metrics.MetricType.HISTOGRAM)
                .addMetric(Metrics.Metric.newBuilder().setHistogram(Metrics.Histogram.newBuilder().setSampleCount(4).setSampleSum(2)
                        .addBucket(Metrics.Bucket.newBuilder().setUpperBound(1).setCumulativeCount(3))))
                .build().writeDelimitedTo(body);
        Map<String, String> target = Map.of("instance", "127.0.0.1:9100", "job", "node");

        // when
        ExpositionDecoder.Scrape scrape = ExpositionDecoder.decode(new ByteArrayInputStream(body.toByteArray()), target, 1000L);

        // then
        assertThat(scrape.samples()).containsExactly(
                new PromSample("node_cpu_seconds_total", Map.of("cpu", "0", "mode", "idle", "instance", "127.0.0.1:9100", "job", "node"), 42.5, 1000L),
                new PromSample("go_gc_duration_seconds", Map.of("quantile", "0.5", "instance", "127.0.0.1:9100", "job", "node"), 0.1, 1000L),
                new PromSample("go_gc_duration_seconds_sum", target, 0.5, 1000L),
                new PromSample("go_gc_duration_seconds_count", target, 3, 1000L),
                new PromSample("http_seconds_bucket", Map.of("le", "1", "instance", "127.0.0.1:9100", "job", "node"), 3, 1000L),
                new PromSample("http_seconds_bucket", Map.of("le", "+Inf", "instance", "127.0.0.1:9100", "job", "node"), 4, 1000L),
                new PromSample("http_seconds_sum", target, 2, 1000L),
                new PromSample("http_seconds_count", target, 4, 1000L));
        assertThat(scrape.familyTypes()).containsEntry("node_cpu_seconds_total", PromType.COUNTER)
                .containsEntry("go_gc_duration_seconds", PromType.SUMMARY).containsEntry("http_seconds", PromType.HISTOGRAM);
    }

    @Test
    void shouldReadWhatDebiansNodeExporterAnswersToTheProtobufAcceptHeader() throws Exception {
        // given: a body node_exporter 1.5.0 (cpu and meminfo collectors) sent to the scraper's Accept header, kept as it came
        try (var in = getClass().getResourceAsStream("/node-exporter-1.5.0-cpu-meminfo.pb")) {
            // when
            ExpositionDecoder.Scrape scrape = ExpositionDecoder.decode(in, Map.of("instance", "127.0.0.1:9100", "job", "node"), 1000L);

            // then
            assertThat(scrape.familyTypes()).containsEntry("node_cpu_seconds_total", PromType.COUNTER)
                    .containsEntry("node_memory_MemAvailable_bytes", PromType.GAUGE);
            assertThat(scrape.samples()).filteredOn(s -> s.name().equals("node_cpu_seconds_total"))
                    .isNotEmpty().allSatisfy(s -> assertThat(s.labels()).containsKeys("cpu", "mode", "instance", "job"));
            assertThat(SeriesTreatment.of("node_cpu_seconds_total", Map.of(), scrape.familyTypes()::get)).isEqualTo(SeriesTreatment.Kind.RATE);
        }
    }

    private static Metrics.LabelPair pair(String name, String value) {
        return Metrics.LabelPair.newBuilder().setName(name).setValue(value).build();
    }
}
