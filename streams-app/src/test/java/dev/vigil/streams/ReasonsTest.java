package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.vigil.detection.AnomalyReason;

class ReasonsTest {

    @Test
    void shouldHaveEveryReasonOfTheDetectorInTheAvroContractUnderTheSameName() {
        assertThat(Arrays.stream(dev.vigil.avro.AnomalyReason.values()).map(Enum::name))
                .as("symbols of AnomalyReason.avsc; add a reason of the detector there too")
                .containsExactlyElementsOf(Arrays.stream(AnomalyReason.values()).map(Enum::name).toList());
    }

    @Test
    void shouldSendNoReasonAsNullAndEveryOtherUnderItsOwnName() {
        assertThat(Reasons.toAvro(AnomalyReason.NONE)).isNull();
        assertThat(Reasons.toAvro(AnomalyReason.STUCK)).isEqualTo(dev.vigil.avro.AnomalyReason.STUCK);
    }
}
