package dev.vigil.runtime.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bearer tokens: {@code vgl_<id>_<secret>}, the secret 32 random bytes in base64url without padding (43 characters).
 * Only the SHA-256 of the whole token is stored. A fast hash is right here, unlike for passwords: 256 random bits
 * cannot be guessed however fast each guess is, so a slow KDF would only slow every request down.
 */
public final class Tokens {

    /** What a token id may be: it is written in files and logs, and must not contain the separator {@code _}. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("vgl_(" + ID.pattern() + ")_([A-Za-z0-9_-]{43})");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new token for {@code id}, to be shown once. */
    public static String generate(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a token id is lower-case letters, digits, '.' and '-', at most 64: '" + id + "'");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "vgl_" + id + "_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The id a well-formed token names; empty when it is not shaped as a Vigil token. */
    public static Optional<String> idOf(String token) {
        Matcher matcher = TOKEN.matcher(token);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Whether {@code text} looks like a token in clear: what the access file must never hold. */
    public static boolean looksLikeToken(String text) {
        return text.startsWith("vgl_");
    }

    /** Whether {@code text} is a SHA-256 in lower-case hex. */
    public static boolean isSha256Hex(String text) {
        return SHA256_HEX.matcher(text).matches();
    }

    /** SHA-256 of the token, lower-case hex: what the access file stores. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Whether {@code token} hashes to {@code storedHex}, compared in constant time. */
    public static boolean matches(String token, String storedHex) {
        return MessageDigest.isEqual(sha256(token), HexFormat.of().parseHex(storedHex));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
