package dev.vigil.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void shouldTellStringsApartWhereverOneEndsAndTheNextBegins() {
        assertThat(Fingerprint.START.with("ab").with("c").finished()).isNotEqualTo(Fingerprint.START.with("a").with("bc").finished());
        assertThat(Fingerprint.START.with("ab").finished()).isEqualTo(Fingerprint.START.with("ab").finished());
    }

    @Test
    void shouldFingerprintBytesByTheirContentAndLengthWhereverTheyLie() {
        byte[] labels = "__name__=up,instance=web-1:9100,job=node".getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[labels.length + 5];
        System.arraycopy(labels, 0, padded, 3, labels.length);

        assertThat(Fingerprint.START.with(padded, 3, 3 + labels.length).finished())
                .isEqualTo(Fingerprint.START.with(labels, 0, labels.length).finished());
        assertThat(Fingerprint.START.with(labels, 0, labels.length - 1).finished())
                .isNotEqualTo(Fingerprint.START.with(labels, 0, labels.length).finished());
        byte[] zeros = new byte[16];
        assertThat(Fingerprint.START.with(zeros, 0, 8).finished()).isNotEqualTo(Fingerprint.START.with(zeros, 0, 16).finished());
    }

    @Test
    void shouldGiveNearSeriesDifferentFingerprintsInBothHalves() {
        Set<Long> firsts = new HashSet<>();
        Set<Long> seconds = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            byte[] labels = ("__name__=node_cpu_seconds_total,cpu=" + i + ",instance=host-" + (i % 400)).getBytes(StandardCharsets.UTF_8);
            Fingerprint fingerprint = Fingerprint.START.with(labels, 0, labels.length).finished();
            firsts.add(fingerprint.first());
            seconds.add(fingerprint.second());
        }
        assertThat(firsts).hasSize(200_000);
        assertThat(seconds).hasSize(200_000);
    }
}
