package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.registry.SchemaRegistryException;

class DecodeFailureTest {

    private static final SchemaRegistryException UNREACHABLE = new SchemaRegistryException("Schema registry unavailable: GET /schemas/ids/7",
            -1, -1, null);

    @Test
    void shouldDeadLetterDamagedBytesWithTheSerdesReason() {
        DecodeFailure failure = DecodeFailure.of(new InvalidPayloadException(DeadLetterReason.BAD_MAGIC_BYTE, "starts with 0x07"), "Alert");

        assertThat(failure).isEqualTo(new DecodeFailure.BadRecord(DeadLetterReason.BAD_MAGIC_BYTE, "BAD_MAGIC_BYTE: starts with 0x07"));
    }

    @Test
    void shouldBlameTheRegistryNotTheRecordWhenItDoesNotAnswerEvenWhenTheFailureIsWrapped() {
        assertThat(DecodeFailure.of(UNREACHABLE, "Alert")).isEqualTo(new DecodeFailure.RegistryUnavailable(UNREACHABLE));
        // A consumer's RecordDeserializationException carries the deserializer's exception as its cause.
        assertThat(DecodeFailure.of(new KafkaException("Error deserializing VALUE", UNREACHABLE), "Alert"))
                .isEqualTo(new DecodeFailure.RegistryUnavailable(UNREACHABLE));
    }

    @Test
    void shouldDeadLetterASchemaIdTheRegistryAnsweredItDoesNotKnow() {
        SchemaRegistryException notFound = new SchemaRegistryException("Schema 999999 not found", 404, 40403, null);

        DecodeFailure failure = DecodeFailure.of(new InvalidPayloadException(DeadLetterReason.UNKNOWN_SCHEMA_ID, "names schema id 999999",
                notFound), "MetricBatch");

        assertThat(failure).isInstanceOfSatisfying(DecodeFailure.BadRecord.class,
                bad -> assertThat(bad.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void shouldCallAnyOtherFailureUndecodableNamingTheExpectedType() {
        DecodeFailure failure = DecodeFailure.of(new IllegalStateException("boom"), "ScoreBatch");

        assertThat(failure).isEqualTo(new DecodeFailure.BadRecord(DeadLetterReason.UNDECODABLE,
                "cannot decode as ScoreBatch: java.lang.IllegalStateException: boom"));
    }
}
