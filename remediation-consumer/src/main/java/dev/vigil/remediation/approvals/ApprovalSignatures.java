package dev.vigil.remediation.approvals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.runtime.security.SigningKeys;

/**
 * The one canonical byte form of an approval, and its Ed25519 signature: {@code vigil approve} signs with it, the remediation
 * consumer and {@code vigil audit verify} check with it. The form is versioned and every field length-prefixed, so no two
 * different approvals share bytes (a comment cannot spill into the nonce, an actor cannot absorb the decision id):
 *
 * <pre>
 *   "vigil-approval" 0x00 version(1 byte = 1)
 *   then for decisionId, approved ("true"/"false"), actor, decidedAt (epoch ms, decimal), expiresAt (epoch ms, decimal),
 *   nonce, comment: a 4-byte big-endian length and that many UTF-8 bytes
 * </pre>
 *
 * The signer is not in the form: it is whose public key verifies, which binds it.
 */
public final class ApprovalSignatures {

    /** The version of the canonical form; a new form gets a new number and the old one stays readable. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "vigil-approval\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApprovalSignatures() {
    }

    /** The bytes that are signed. {@code expiresAt} must be set. */
    public static byte[] canonical(ApprovalDecision approval) {
        Objects.requireNonNull(approval.getExpiresAt(), "expiresAt can't be null in a signed approval");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(MAGIC);
        out.write(VERSION);
        field(out, approval.getDecisionId());
        field(out, Boolean.toString(approval.getApproved()));
        field(out, approval.getActor());
        field(out, Long.toString(approval.getDecidedAt().toEpochMilli()));
        field(out, Long.toString(approval.getExpiresAt().toEpochMilli()));
        field(out, approval.getNonce());
        field(out, approval.getComment());
        return out.toByteArray();
    }

    /**
     * A signed approval: a fresh nonce, {@code signer} as the signer and the signature of the canonical form.
     *
     * @param decidedAt when, truncated to milliseconds as the schema keeps it
     */
    public static ApprovalDecision sign(String decisionId, boolean approved, String actor, String comment, Instant decidedAt, Instant expiresAt,
                                        String signer, PrivateKey key) {
        ApprovalDecision unsigned = ApprovalDecision.newBuilder().setDecisionId(decisionId).setApproved(approved).setActor(actor)
                .setDecidedAt(Instant.ofEpochMilli(decidedAt.toEpochMilli())).setExpiresAt(Instant.ofEpochMilli(expiresAt.toEpochMilli()))
                .setNonce(nonce()).setComment(comment).setSigner(signer).setSignature(null).build();
        try {
            Signature signature = Signature.getInstance(SigningKeys.ALGORITHM);
            signature.initSign(key);
            signature.update(canonical(unsigned));
            return ApprovalDecision.newBuilder(unsigned).setSignature(ByteBuffer.wrap(signature.sign())).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (" + key.getAlgorithm() + "): " + e.getMessage(), e);
        }
    }

    /** Whether {@code approval} carries a signature of its canonical form that {@code key} verifies. */
    public static boolean verifies(ApprovalDecision approval, PublicKey key) {
        if (approval.getSignature() == null || approval.getExpiresAt() == null) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(SigningKeys.ALGORITHM);
            signature.initVerify(key);
            signature.update(canonical(approval));
            return signature.verify(bytes(approval.getSignature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature or a key of another algorithm proves nothing
        }
    }

    /** The signature's bytes. */
    public static byte[] bytes(ByteBuffer signature) {
        byte[] bytes = new byte[signature.remaining()];
        signature.duplicate().get(bytes);
        return bytes;
    }

    /** 128 random bits, base64url without padding. */
    static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void field(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
