package dev.vigil.schemas.serde;

/**
 * The Confluent wire format: byte 0 is the magic byte {@code 0}, bytes 1-4 the registry's schema id as a
 * big-endian int, then the Avro binary encoding of the record with that schema.
 */
public final class WireFormat {

    /** The only magic byte defined so far. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Subject under which a topic's value (or key) schema is registered: Confluent's TopicNameStrategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Writes the header of a record with schema {@code schemaId} into the first {@link #HEADER_SIZE} bytes of {@code target}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    static int readSchemaId(byte[] source) {
        return ((source[1] & 0xff) << 24) | ((source[2] & 0xff) << 16) | ((source[3] & 0xff) << 8) | (source[4] & 0xff);
    }
}
