package dev.vigil.gateway.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.prometheus.SeriesTreatment.Kind;

class SeriesTreatmentTest {

    private static final Map<String, PromType> NONE = Map.of();

    @Test
    void shouldRateCountersByNameWhenNoMetadataCameYet() {
        assertThat(SeriesTreatment.of("node_cpu_seconds_total", Map.of(), NONE::get)).isEqualTo(Kind.RATE);
        assertThat(SeriesTreatment.of("node_memory_MemAvailable_bytes", Map.of(), NONE::get)).isEqualTo(Kind.GAUGE);
        assertThat(SeriesTreatment.of("http_request_duration_seconds_bucket", Map.of("le", "0.5"), NONE::get)).isEqualTo(Kind.DROP);
    }

    @Test
    void shouldLetTheFamilyTypeDecideWhereItIsKnown() {
        Map<String, PromType> types = Map.of("node_intr", PromType.COUNTER, "weird_total", PromType.GAUGE,
                "rpc", PromType.SUMMARY, "http", PromType.HISTOGRAM);
        assertThat(SeriesTreatment.of("node_intr", Map.of(), types::get)).isEqualTo(Kind.RATE);
        assertThat(SeriesTreatment.of("weird_total", Map.of(), types::get)).isEqualTo(Kind.GAUGE);
        assertThat(SeriesTreatment.of("rpc", Map.of("quantile", "0.99"), types::get)).isEqualTo(Kind.GAUGE);
        assertThat(SeriesTreatment.of("rpc_count", Map.of(), types::get)).isEqualTo(Kind.RATE);
        assertThat(SeriesTreatment.of("http_sum", Map.of(), types::get)).isEqualTo(Kind.RATE);
        assertThat(SeriesTreatment.of("http_bucket", Map.of("le", "1"), types::get)).isEqualTo(Kind.DROP);
    }

    @Test
    void shouldTakeTheHostFromInstanceWithoutItsPort() {
        HostIdentity identity = new HostIdentity(java.util.List.of("instance"), true);
        assertThat(identity.hostOf(Map.of("instance", "web-1:9100"))).isEqualTo("web-1");
        assertThat(identity.hostOf(Map.of("instance", "[fe80::1]:9100"))).isEqualTo("fe80::1");
        assertThat(identity.hostOf(Map.of("instance", "10.0.0.7"))).isEqualTo("10.0.0.7");
        assertThat(identity.hostOf(Map.of("job", "node"))).isNull();
        assertThat(identity.hostOf(Map.of("instance", "not a host!"))).isNull();
        assertThat(new HostIdentity(java.util.List.of("instance"), false).hostOf(Map.of("instance", "web-1:9100"))).isEqualTo("web-1:9100");
        assertThat(new HostIdentity(java.util.List.of("host", "instance"), true).hostOf(Map.of("host", "db-2", "instance", "x:1"))).isEqualTo("db-2");
    }
}
