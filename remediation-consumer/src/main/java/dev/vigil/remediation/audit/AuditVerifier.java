package dev.vigil.remediation.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vigil.avro.AuditRecord;

/**
 * Checks an audit trail: sequence numbers without gaps from 1, each record's link to the one before, each
 * record's HMAC, and every checkpoint (its signature, that the trail reaches it, and that the record there
 * hashes as the checkpoint says). {@code vigil audit verify} runs it and names the first bad record.
 */
public final class AuditVerifier {

    /** What verification found: a closed set. */
    public sealed interface Result {
        /** Every record and checkpoint holds. */
        record Intact(long records, int checkpoints) implements Result {
        }

        /** The first problem, at {@code sequence}. */
        record Broken(long sequence, String problem) implements Result {
        }
    }

    private final byte[] key;

    public AuditVerifier(byte[] key) {
        this.key = Objects.requireNonNull(key, "key can't be null").clone();
    }

    /**
     * @param records     the trail as read from the audit topic, in order
     * @param checkpoints the checkpoints written along the way, in any order
     */
    public Result verify(List<AuditRecord> records, List<AuditCheckpoint> checkpoints) {
        Map<Long, String> hashes = new HashMap<>();
        String previous = AuditChain.GENESIS;
        long expected = 1;
        for (AuditRecord record : records) {
            if (record.getSequence() != expected) {
                return record.getSequence() > expected
                        ? new Result.Broken(expected, "record " + expected + " is missing (the next record has sequence " + record.getSequence() + "): deleted")
                        : new Result.Broken(record.getSequence(), "record " + record.getSequence() + " appears again after record " + (expected - 1));
            }
            if (!sameText(AuditChain.hmac(key, AuditChain.canonical(record)), record.getHmac())) {
                return new Result.Broken(expected, "record " + expected + " does not match its HMAC: edited, or signed with another key");
            }
            if (!record.getPreviousHash().equals(previous)) {
                return new Result.Broken(expected, "record " + expected + " does not link to record " + (expected - 1)
                        + " (previousHash differs): the record before it was replaced");
            }
            previous = AuditChain.hash(record);
            hashes.put(expected, previous);
            expected++;
        }
        long last = expected - 1;
        for (AuditCheckpoint checkpoint : checkpoints) {
            if (!checkpoint.isSignedBy(key)) {
                return new Result.Broken(checkpoint.sequence(), "checkpoint at " + checkpoint.sequence() + " does not match its HMAC");
            }
            if (checkpoint.sequence() > last) {
                return new Result.Broken(last + 1, "the trail ends at record " + last + " but a checkpoint vouches for record "
                        + checkpoint.sequence() + ": truncated");
            }
            if (checkpoint.sequence() > 0 && !checkpoint.headHash().equals(hashes.get(checkpoint.sequence()))) {
                return new Result.Broken(checkpoint.sequence(), "record " + checkpoint.sequence() + " is not the one its checkpoint vouches for");
            }
        }
        return new Result.Intact(last, checkpoints.size());
    }

    private static boolean sameText(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
