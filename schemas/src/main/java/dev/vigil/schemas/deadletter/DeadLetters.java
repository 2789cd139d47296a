package dev.vigil.schemas.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

import dev.vigil.avro.DeadLetter;

/**
 * The one builder of {@link DeadLetter} records: every component that gives up on a record builds its dead
 * letter here, as every Kafka Streams handler builds its dead-letter record with
 * {@code ExceptionHandlerUtils.buildDeadLetterQueueRecord}. The record goes to {@code vigil.dead-letters} keyed
 * by {@link #key(DeadLetter)}.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * Where the refused record was read.
     *
     * @param partition -1 when unknown
     * @param offset    -1 when unknown
     */
    public record Source(String topic, int partition, long offset) {

        /** For a record whose coordinates were not available (a punctuation, a test driver without metadata). */
        public static final Source UNKNOWN = new Source("unknown", -1, -1);

        public Source {
            Objects.requireNonNull(topic, "topic can't be null");
        }
    }

    /**
     * A dead letter for the record at {@code source}.
     *
     * @param key      the record's original key bytes, untouched; null if it had none
     * @param value    the record's original value bytes, untouched; null if it had none
     * @param message  what was wrong, in words that name the record's fault
     * @param failedAt when the component gave up
     */
    public static DeadLetter build(Source source, byte[] key, byte[] value, DeadLetterStage stage, DeadLetterReason reason,
                                   String message, Instant failedAt) {
        Objects.requireNonNull(source, "source can't be null");
        Objects.requireNonNull(stage, "stage can't be null");
        Objects.requireNonNull(reason, "reason can't be null");
        Objects.requireNonNull(message, "message can't be null");
        Objects.requireNonNull(failedAt, "failedAt can't be null");
        return DeadLetter.newBuilder()
                .setSourceTopic(source.topic())
                .setSourcePartition(source.partition())
                .setSourceOffset(source.offset())
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setStage(stage.wireName())
                .setReason(reason.name())
                .setMessage(message)
                .setFailedAt(failedAt)
                .build();
    }

    /** The bytes of a string key, as its producer's {@code StringSerializer} wrote them; null for null. */
    public static byte[] keyBytes(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** The key of a dead letter on {@code vigil.dead-letters}: its source topic, so one topic's letters stay in order. */
    public static String key(DeadLetter letter) {
        return letter.getSourceTopic();
    }
}
