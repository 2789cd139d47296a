package dev.vigil.remediation.audit;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A signed statement that the audit chain had reached {@code sequence}, with the record there hashing to
 * {@code headHash}. Checkpoints are kept where the audit consumer never rewrites them (an append-only file,
 * another system), so a trail cut short of a checkpoint is detected: truncation, not only edits and deletions.
 * One line of text each: {@code sequence headHash timestampMillis hmac}.
 */
public record AuditCheckpoint(long sequence, String headHash, long timestampMillis, String hmac) {

    static AuditCheckpoint signed(long sequence, String headHash, long timestampMillis, byte[] key) {
        return new AuditCheckpoint(sequence, headHash, timestampMillis, AuditChain.hmac(key, signedText(sequence, headHash, timestampMillis)));
    }

    /** Whether {@code key} signed this checkpoint as it reads now; compared in constant time. */
    boolean isSignedBy(byte[] key) {
        byte[] expected = AuditChain.hmac(key, signedText(sequence, headHash, timestampMillis)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, hmac.getBytes(StandardCharsets.US_ASCII));
    }

    private static String signedText(long sequence, String headHash, long timestampMillis) {
        return "vigil-audit-checkpoint-v1|" + sequence + "|" + headHash + "|" + timestampMillis;
    }

    /** The checkpoint as one line of its file. */
    public String toLine() {
        return sequence + " " + headHash + " " + timestampMillis + " " + hmac;
    }

    /** @throws IllegalArgumentException for a line that is not a checkpoint */
    public static AuditCheckpoint parse(String line) {
        String[] parts = line.strip().split(" ");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an audit checkpoint: '" + line + "'");
        }
        try {
            return new AuditCheckpoint(Long.parseLong(parts[0]), parts[1], Long.parseLong(parts[2]), parts[3]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an audit checkpoint: '" + line + "'", e);
        }
    }
}
