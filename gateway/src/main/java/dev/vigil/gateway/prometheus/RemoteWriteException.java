package dev.vigil.gateway.prometheus;

/** A remote-write request refused before mapping, with the HTTP status the protocol expects for it. */
public final class RemoteWriteException extends Exception {

    /** Why, and the status that says so. */
    public enum Kind {
        /** Not snappy, not a WriteRequest: 400, which Prometheus does not retry. */
        MALFORMED(400),
        /** Larger than the limit once decompressed: 413. */
        TOO_LARGE(413);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public RemoteWriteException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
