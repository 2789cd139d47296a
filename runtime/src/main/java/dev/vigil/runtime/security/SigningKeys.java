package dev.vigil.runtime.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Ed25519 keys of approvers, from the JDK (no provider of our own): made by {@code vigil keys generate}, the private key
 * kept by its owner as PKCS#8 PEM (readable by its owner only), the public key as X.509 PEM, named by the user's
 * {@code public_key} in the access file. Signed approvals (docs/security.md#signed-approvals) are made and checked with
 * them.
 */
public final class SigningKeys {

    public static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> NOT_FOR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SigningKeys() {
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + ALGORITHM + " (Java 15 and later do)", e);
        }
    }

    /**
     * Writes {@code keys} as {@code NAME.key} (PKCS#8) and {@code NAME.pub} (X.509) into {@code folder}, both created
     * {@code rw-------} (the access file refuses a public key others may read or write, so a key swapped in by another
     * user cannot name an approver). Refuses to overwrite either.
     *
     * @return the private key file; the public one is beside it, {@link #publicKeyFile(Path)}
     */
    public static Path write(KeyPair keys, Path folder, String name) throws IOException {
        Objects.requireNonNull(keys, "keys can't be null");
        Files.createDirectories(folder);
        Path privateFile = folder.resolve(name + ".key");
        Path publicFile = publicKeyFile(privateFile);
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null, "will not overwrite a key file");
            }
        }
        writeOwnerOnly(privateFile, pem(PRIVATE, keys.getPrivate().getEncoded()));
        writeOwnerOnly(publicFile, pem(PUBLIC, keys.getPublic().getEncoded()));
        return privateFile;
    }

    /** {@code NAME.pub} beside {@code NAME.key}. */
    public static Path publicKeyFile(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        return privateKeyFile.resolveSibling(base + ".pub");
    }

    /**
     * Reads a private key, refusing a file that group or others may read or write: such a key may have been copied,
     * and a signature made with it proves nothing about who approved.
     *
     * @throws IOException naming the file and what is wrong
     */
    public static PrivateKey readPrivate(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> exposed = EnumSet.noneOf(PosixFilePermission.class);
        permissions.stream().filter(NOT_FOR_OTHERS::contains).forEach(exposed::add);
        if (!exposed.isEmpty()) {
            throw new IOException("the key file " + file + " may be read or written by group or others (" + exposed
                    + "); chmod 600 it, and make a new key if others could have copied it");
        }
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem(file, PRIVATE)));
        } catch (GeneralSecurityException e) {
            throw new IOException("the key file " + file + " is not an " + ALGORITHM + " private key: " + e.getMessage(), e);
        }
    }

    /** Reads a public key (X.509 PEM). */
    public static PublicKey readPublic(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(file, PUBLIC)));
        } catch (GeneralSecurityException e) {
            throw new IOException("the key file " + file + " is not an " + ALGORITHM + " public key: " + e.getMessage(), e);
        }
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException("the key file " + file + " holds no '" + begin + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException("the key file " + file + " is not valid PEM: " + e.getMessage(), e);
        }
    }
}
