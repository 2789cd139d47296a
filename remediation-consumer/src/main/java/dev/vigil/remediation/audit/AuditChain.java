package dev.vigil.remediation.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;

/**
 * The writing end of the audit trail: each record carries its sequence number (1, 2, 3 ... without gaps),
 * the hash of the record before it, and an HMAC over its canonical form with a key only the remediation
 * consumer holds. Editing a record breaks its HMAC; deleting one breaks the sequence and the next record's
 * link; cutting off the tail is caught by the signed {@link AuditCheckpoint}s, kept apart from the trail.
 *
 * <p>Single writer: one instance per chain, appending in order.
 */
public final class AuditChain {

    /** The previous hash of the first record. */
    public static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] key;
    private long lastSequence;
    private String headHash;

    /** A chain that carries on after {@code lastSequence}, whose record hashes to {@code headHash} ({@link #GENESIS} for none). */
    public AuditChain(byte[] key, long lastSequence, String headHash) {
        this.key = Objects.requireNonNull(key, "key can't be null").clone();
        if (key.length < 32) {
            throw new IllegalArgumentException("the audit key must have at least 32 bytes, has " + key.length);
        }
        this.lastSequence = lastSequence;
        this.headHash = Objects.requireNonNull(headHash, "headHash can't be null");
    }

    /** The next link of the chain, signed. */
    public AuditRecord append(Instant time, String actor, String decisionId, String alertId, String hostId, String rule, String action,
                              String parametersHash, AuditOutcome outcome, String guard, String detail) {
        AuditRecord unsigned = AuditRecord.newBuilder()
                .setSequence(lastSequence + 1).setTimestamp(time).setActor(actor).setDecisionId(decisionId).setAlertId(alertId)
                .setHostId(hostId).setRule(rule).setAction(action).setParametersHash(parametersHash).setOutcome(outcome)
                .setGuard(guard).setDetail(detail).setPreviousHash(headHash).setHmac("").build();
        AuditRecord signed = AuditRecord.newBuilder(unsigned).setHmac(hmac(key, canonical(unsigned))).build();
        lastSequence = signed.getSequence();
        headHash = hash(signed);
        return signed;
    }

    /** A signed statement of where the chain stands now: its last sequence and the hash of that record. */
    public AuditCheckpoint checkpoint(Instant time) {
        return AuditCheckpoint.signed(lastSequence, headHash, time.toEpochMilli(), key);
    }

    public long lastSequence() {
        return lastSequence;
    }

    public String headHash() {
        return headHash;
    }

    /**
     * Every field but the HMAC, in a fixed order, each length-prefixed so no value can pass for another:
     * what the HMAC signs.
     */
    static String canonical(AuditRecord record) {
        StringBuilder out = new StringBuilder("vigil-audit-v1");
        for (Object field : new Object[] {record.getSequence(), record.getTimestamp().toEpochMilli(), record.getActor(),
                record.getDecisionId(), record.getAlertId(), record.getHostId(), record.getRule(), record.getAction(),
                record.getParametersHash(), record.getOutcome().name(), record.getGuard() == null ? "" : record.getGuard(),
                record.getDetail(), record.getPreviousHash()}) {
            String text = String.valueOf(field);
            out.append('|').append(text.length()).append(':').append(text);
        }
        return out.toString();
    }

    /** The hash the next record links to: SHA-256 of the canonical form and the HMAC. */
    public static String hash(AuditRecord record) {
        return sha256(canonical(record) + "|" + record.getHmac());
    }

    /** Hex SHA-256 of a text: also what decisions use for their parameters hash. */
    public static String sha256(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 of bytes (a policy file as loaded). */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HEX.formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
