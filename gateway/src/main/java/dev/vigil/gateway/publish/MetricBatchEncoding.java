package dev.vigil.gateway.publish;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.schemas.serde.WireFormat;

/**
 * Writes {@link MetricBatch}es in Avro binary straight from the gateway's series, without a {@link Sample} per point:
 * a sample's name and labels, the same in every sample of a series, are encoded once when the series is admitted
 * ({@link #seriesPart}) and copied after that, and the rest of each sample is written with Avro's own encoder. The
 * fields are written in the order of the schema the generated classes hold, which the class checks when it loads;
 * {@code MetricBatchEncodingTest} holds the bytes to those Avro's {@code SpecificDatumWriter} writes.
 */
final class MetricBatchEncoding {

    static {
        // The field order this class writes; a schema change must come with a change here (else the gateway fails to start).
        requireFields(MetricBatch.getClassSchema(), "hostId", "hostLabels", "collectedAt", "sequence", "samples");
        requireFields(Sample.getClassSchema(), "name", "labels", "value", "unit", "kind", "observedAt");
    }

    private MetricBatchEncoding() {
    }

    /** Loads the class, and so checks the schema's field order: the assembler calls it when it is made, at the gateway's start. */
    static void checkSchema() {
        // the static initializer does the work
    }

    /** A sample's first two fields, its name and labels: the same for every sample of a series. */
    static byte[] seriesPart(String name, Map<String, String> labels) {
        Bytes out = new Bytes(16 + name.length() + 32 * labels.size());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            encoder.writeString(name);
            encoder.writeMapStart();
            encoder.setItemCount(labels.size());
            for (Map.Entry<String, String> label : labels.entrySet()) {
                encoder.startItem();
                encoder.writeString(label.getKey());
                encoder.writeString(label.getValue());
            }
            encoder.writeMapEnd();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a Bytes does not throw
        }
        return out.toByteArray();
    }

    /** A sample's unit as Avro writes it. */
    static byte[] unitPart(String unit) {
        Bytes out = new Bytes(8 + unit.length());
        try {
            EncoderFactory.get().directBinaryEncoder(out, null).writeString(unit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The samples of one host in one request, encoded as they come; not thread-safe. */
    static final class HostBatch {
        private final String hostId;
        private final Bytes items = new Bytes(4096);
        private final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(items, null);
        private int count;

        HostBatch(String hostId) {
            this.hostId = hostId;
        }

        /**
         * Adds a sample.
         *
         * @param seriesPart its series' {@link #seriesPart}
         * @param unitPart   its unit's {@link #unitPart}
         */
        void add(byte[] seriesPart, double value, byte[] unitPart, MetricKind kind, long observedAtMillis) {
            try {
                items.write(seriesPart);
                encoder.writeDouble(value);
                items.write(unitPart);
                encoder.writeEnum(kind.ordinal());
                encoder.writeIndex(1); // observedAt: ["null", timestamp-millis]
                encoder.writeLong(observedAtMillis);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            count++;
        }

        int count() {
            return count;
        }

        /** The batch, collected at {@code collectedAtMillis}, with no host labels and sequence 0 (the gateway's batches). */
        EncodedBatch finish(long collectedAtMillis) {
            Bytes out = new Bytes(WireFormat.HEADER_SIZE + items.size() + hostId.length() + 32);
            out.skip(WireFormat.HEADER_SIZE);
            BinaryEncoder head = EncoderFactory.get().directBinaryEncoder(out, null);
            try {
                head.writeString(hostId);
                head.writeMapStart(); // hostLabels
                head.setItemCount(0);
                head.writeMapEnd();
                head.writeLong(collectedAtMillis);
                head.writeLong(0); // sequence
                head.writeArrayStart();
                head.setItemCount(count);
                out.write(items.buffer, 0, items.size());
                head.writeArrayEnd();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new EncodedBatch(hostId, count, out.toByteArray());
        }
    }

    private static void requireFields(Schema schema, String... names) {
        String[] actual = schema.getFields().stream().map(Schema.Field::name).toArray(String[]::new);
        if (!Arrays.equals(actual, names)) {
            throw new IllegalStateException("MetricBatchEncoding writes " + schema.getName() + " as " + Arrays.toString(names)
                    + " but the schema has " + Arrays.toString(actual));
        }
    }

    /** An unsynchronised growable byte array (a {@code ByteArrayOutputStream} locks on every write). */
    private static final class Bytes extends OutputStream {
        private byte[] buffer;
        private int size;

        Bytes(int capacity) {
            buffer = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
        }

        void skip(int length) {
            ensure(length);
            size += length;
        }

        int size() {
            return size;
        }

        byte[] toByteArray() {
            return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }
}
