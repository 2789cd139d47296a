package dev.vigil.gateway.prometheus;

import java.io.IOException;

import org.xerial.snappy.Snappy;

/**
 * Turns a remote-write 1.0 body (a snappy <em>block</em>, not framed, holding a protobuf {@code WriteRequest}) into the
 * request's bytes, which {@link RemoteWriteReader} reads. The uncompressed length is read from the block's header and
 * checked against the limit before anything is decompressed, so a small body cannot expand into gigabytes.
 */
public final class RemoteWriteDecoder {

    private final int maxUncompressedBytes;

    /** @param maxUncompressedBytes the largest decompressed request accepted (the gateway's shared body limit) */
    public RemoteWriteDecoder(int maxUncompressedBytes) {
        if (maxUncompressedBytes <= 0) {
            throw new IllegalArgumentException("maxUncompressedBytes must be positive, got " + maxUncompressedBytes);
        }
        this.maxUncompressedBytes = maxUncompressedBytes;
    }

    /** Decompresses {@code body}, or throws a {@link RemoteWriteException} saying what is wrong in the protocol's terms. */
    public byte[] uncompress(byte[] body) throws RemoteWriteException {
        int length;
        try {
            // The header only; a corrupt block fails in uncompress below, which snappy makes safe on any input (a
            // separate validating pass, isValidCompressedBuffer, would read the whole block once more).
            length = Snappy.uncompressedLength(body);
        } catch (IOException e) {
            throw new RemoteWriteException(RemoteWriteException.Kind.MALFORMED, "body is not a snappy block: " + e.getMessage());
        }
        if (length > maxUncompressedBytes) {
            throw new RemoteWriteException(RemoteWriteException.Kind.TOO_LARGE,
                    "request decompresses to " + length + " bytes, at most " + maxUncompressedBytes + " allowed");
        }
        try {
            return Snappy.uncompress(body);
        } catch (IOException e) {
            throw new RemoteWriteException(RemoteWriteException.Kind.MALFORMED, "body is not a snappy block: " + e.getMessage());
        }
    }
}
