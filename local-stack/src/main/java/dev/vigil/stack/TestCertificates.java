package dev.vigil.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A throw-away certificate authority for the tests' TLS, made by the JDK's own keytool in a folder of the test's:
 * a CA, a server certificate for {@code localhost} / {@code 127.0.0.1} signed by it, and on demand client certificates
 * signed by it (or, to be refused, by nobody). Every store is PKCS12 under one random password, which reaches keytool
 * through its environment, never its command line. The one way tests make keys, so that every TLS test trusts the
 * same kind of chain a real deployment has.
 */
public final class TestCertificates {

    /** The CA's subject. */
    public static final String CA_SUBJECT = "CN=Vigil Test CA, O=Vigil";

    private static final String PASSWORD_VARIABLE = "VIGIL_TEST_STORE_PASSWORD";

    private final Path dir;
    private final String password;

    private TestCertificates(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /**
     * Makes the CA ({@code ca.p12}, its certificate as {@code ca.pem}, a truststore of it {@code trust.p12}) and the
     * server's key store ({@code server.p12}: {@code CN=localhost}, SANs {@code localhost} and {@code 127.0.0.1}) in
     * {@code dir}. Takes a few seconds: make it once per test class.
     */
    public static TestCertificates create(Path dir) {
        Objects.requireNonNull(dir, "dir can't be null");
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        TestCertificates certificates = new TestCertificates(dir, HexFormat.of().formatHex(secret));
        certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", CA_SUBJECT,
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        certificates.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
        certificates.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
        certificates.signed("server", "CN=localhost, O=Vigil", "san=dns:localhost,ip:127.0.0.1");
        return certificates;
    }

    /** The password of every store here. */
    public String password() {
        return password;
    }

    /** The server's key store (key and chain up to the CA). */
    public Path serverKeyStore() {
        return dir.resolve("server.p12");
    }

    /** A truststore holding the CA only: what clients trust the server by, and the server trusts client certificates by. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** The CA's certificate in PEM, for clients that take PEM (the OpenTelemetry exporters). */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /**
     * A client key store {@code <name>.p12} whose certificate the CA signed, with subject {@code CN=<name>, O=Vigil}; made
     * the first time it is asked for.
     */
    public synchronized Path clientKeyStore(String name) {
        Path store = dir.resolve(name + ".p12");
        if (!Files.exists(store)) {
            signed(name, subject(name), null);
        }
        return store;
    }

    /**
     * A client key store {@code <name>-self-signed.p12} with a self-signed certificate no CA vouches for, of the same
     * subject as {@link #clientKeyStore} gives {@code name}: a forgery, for tests that the handshake refuses it.
     */
    public synchronized Path selfSignedKeyStore(String name) {
        Path store = dir.resolve(name + "-self-signed.p12");
        if (!Files.exists(store)) {
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject(name), "-validity", "2",
                    "-keystore", store.getFileName().toString());
        }
        return store;
    }

    /** The subject a client certificate named {@code name} carries, as an access file lists it. */
    public static String subject(String name) {
        return "CN=" + name + ", O=Vigil";
    }

    /** A trust manager of the CA (for clients such as the OpenTelemetry exporters that take one with an SSL context). */
    public X509TrustManager trustManager() {
        for (TrustManager manager : trustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager for " + trustStore());
    }

    /** A TLS context trusting the CA and presenting the key in {@code keyStore} (null: none): a client's, or a test server's. */
    public SSLContext sslContext(Path keyStore) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyStore == null ? null : keyManagers(keyStore), trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context from " + keyStore, e);
        }
    }

    /** The key managers of {@code keyStore}: the key and chain a client (or server) presents. */
    public KeyManager[] keyManagers(Path keyStore) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore), password.toCharArray());
            return keys.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the key in " + keyStore, e);
        }
    }

    /** {@code store} read with the password here. */
    public KeyStore load(Path store) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password.toCharArray());
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + store, e);
        }
    }

    private TrustManager[] trustManagers() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore()));
            return trust.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use " + trustStore(), e);
        }
    }

    /** A key pair in {@code <alias>.p12} whose certificate the CA signs, the chain (leaf, CA) installed in the store. */
    private void signed(String alias, String subject, String extension) {
        String store = alias + ".p12";
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject, "-validity", "2",
                "-keystore", store);
        keytool("-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile", alias + ".csr",
                "-outfile", alias + ".pem", "-validity", "2"));
        if (extension != null) {
            sign.addAll(List.of("-ext", extension));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
        keytool("-importcert", "-alias", alias, "-file", alias + ".pem", "-keystore", store);
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass:env", PASSWORD_VARIABLE));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new StackException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new StackException("keytool " + args[0] + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while keytool " + args[0] + " ran", e);
        }
    }
}
