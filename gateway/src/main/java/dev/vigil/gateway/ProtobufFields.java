package dev.vigil.gateway;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Protobuf's wire format as the gateway's readers walk it with protobuf's own {@link CodedInputStream}, field by field
 * with the generated classes' field numbers, where the generated parser would build every message of a request.
 */
public final class ProtobufFields {

    private ProtobufFields() {
    }

    /** A field's tag as {@link CodedInputStream#readTag} returns it: {@code WireFormat.makeTag}, which is not public. */
    public static int tag(int fieldNumber, int wireType) {
        return fieldNumber << 3 | wireType;
    }

    /** What reads one field of a message, given its tag: it must read or skip the field's value. */
    @FunctionalInterface
    public interface Field {
        void read(int tag) throws IOException;
    }

    /**
     * Reads every field of the message {@code in} holds (to its end or its limit) with {@code field}.
     *
     * @throws InvalidProtocolBufferException when the message is malformed, however {@code field} found out
     */
    public static void read(CodedInputStream in, Field field) throws InvalidProtocolBufferException {
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                field.read(tag);
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }
}
