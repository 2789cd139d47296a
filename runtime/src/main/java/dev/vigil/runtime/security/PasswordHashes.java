package dev.vigil.runtime.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Local users' passwords as Argon2id hashes in the PHC string format
 * ({@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>}, base64 without padding), the format every Argon2 library reads.
 * <p>
 * Bouncy Castle's {@code Argon2BytesGenerator} directly, not Spring Security's {@code Argon2PasswordEncoder}: Spring's
 * encoder is a thin PHC wrapper over the same Bouncy Castle class and would add spring-security-crypto and
 * commons-logging to every service for a few lines of encoding. Parameters follow OWASP's Argon2id guidance
 * (64 MiB, 3 passes, 1 lane): a slow KDF, since a password, unlike a token, can be guessed.
 */
public final class PasswordHashes {

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
    private static final int MEMORY_KIB = 65_536;
    private static final int ITERATIONS = 3;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashes() {
    }

    /** Whether {@code text} is an Argon2id hash in PHC format. */
    public static boolean isArgon2id(String text) {
        return PHC.matcher(text).matches();
    }

    /** The hash of {@code password}, salted afresh. */
    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(hash);
    }

    /** Whether {@code password} is the one {@code phc} was made from (compared in constant time); false for a malformed hash. */
    public static boolean verify(char[] password, String phc) {
        Matcher matcher = PHC.matcher(phc);
        if (!matcher.matches()) {
            return false;
        }
        Base64.Decoder base64 = Base64.getDecoder();
        byte[] expected = base64.decode(matcher.group(5));
        byte[] actual = argon2(password, base64.decode(matcher.group(4)), Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] argon2(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out); // UTF-8 of the characters, as every PHC implementation does
        return out;
    }
}
