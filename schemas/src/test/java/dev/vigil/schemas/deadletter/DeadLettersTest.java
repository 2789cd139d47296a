package dev.vigil.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.DeadLetter;

class DeadLettersTest {

    private static final Instant FAILED_AT = Instant.parse("2026-11-02T12:00:00Z");

    @Test
    void shouldKeepTheOriginalBytesAndNameWhereAndWhyTheRecordWasRefused() {
        byte[] key = DeadLetters.keyBytes("web-01");
        byte[] value = {7, 1, 2, 3};

        DeadLetter letter = DeadLetters.build(new DeadLetters.Source("vigil.metrics", 4, 1234), key, value, DeadLetterStage.STREAMS,
                DeadLetterReason.BAD_MAGIC_BYTE, "starts with byte 0x07", FAILED_AT);

        assertThat(letter.getSourceTopic()).isEqualTo("vigil.metrics");
        assertThat(letter.getSourcePartition()).isEqualTo(4);
        assertThat(letter.getSourceOffset()).isEqualTo(1234);
        assertThat(letter.getKey().array()).isEqualTo("web-01".getBytes(StandardCharsets.UTF_8));
        assertThat(letter.getValue().array()).isEqualTo(value);
        assertThat(letter.getStage()).isEqualTo("streams");
        assertThat(letter.getReason()).isEqualTo("BAD_MAGIC_BYTE");
        assertThat(letter.getMessage()).isEqualTo("starts with byte 0x07");
        assertThat(letter.getFailedAt()).isEqualTo(FAILED_AT);
        assertThat(DeadLetters.key(letter)).as("letters are keyed by their source topic").isEqualTo("vigil.metrics");
    }

    @Test
    void shouldWriteNullsForAMissingKeyAndValueAndMinusOneForUnknownCoordinates() {
        DeadLetter letter = DeadLetters.build(DeadLetters.Source.UNKNOWN, DeadLetters.keyBytes(null), null, DeadLetterStage.SINK,
                DeadLetterReason.EMPTY, "record has no value", FAILED_AT);

        assertThat(letter.getKey()).isNull();
        assertThat(letter.getValue()).isNull();
        assertThat(letter.getSourceTopic()).isEqualTo("unknown");
        assertThat(letter.getSourcePartition()).isEqualTo(-1);
        assertThat(letter.getSourceOffset()).isEqualTo(-1);
    }

    @Test
    void shouldKeepTheStageNamesReadersAlreadyFilterOn() {
        assertThat(DeadLetterStage.values()).extracting(DeadLetterStage::wireName).containsExactly("streams", "sinks", "remediation", "gateway");
    }
}
