package dev.vigil.runtime.security.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.runtime.config.CommonKeys;

/**
 * A server's TLS keys and the CAs it trusts client certificates by, read once from {@code http.tls.keystore} and
 * {@code http.tls.truststore} ({@link HttpSecurity}). Every listener of a service serves from the same material: the
 * HTTPS server takes {@link #sslContext()}, the gateway's OTLP/gRPC server the managers themselves.
 */
public final class TlsMaterial {

    /** The protocol versions served: nothing older than TLS 1.2. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final KeyManager[] keyManagers;
    private final TrustManager[] trustManagers;

    private TlsMaterial(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        this.keyManagers = keyManagers;
        this.trustManagers = trustManagers;
    }

    /**
     * The material {@code security} names, empty when it serves no TLS.
     *
     * @throws ConfigException naming the key of a store that cannot be read or used
     */
    public static Optional<TlsMaterial> load(HttpSecurity security) {
        if (security.keystore().isEmpty()) {
            return Optional.empty();
        }
        Path keystore = security.keystore().get();
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(keystore, security.keystorePassword(), CommonKeys.HTTP_TLS_KEYSTORE.name()),
                    security.keystorePassword().toCharArray());
            TrustManager[] trust = new TrustManager[0];
            if (security.truststore().isPresent()) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(keyStore(security.truststore().get(), security.truststorePassword(), CommonKeys.HTTP_TLS_TRUSTSTORE.name()));
                trust = factory.getTrustManagers();
            }
            return Optional.of(new TlsMaterial(keys.getKeyManagers(), trust));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(CommonKeys.HTTP_TLS_KEYSTORE.name(), keystore.toString(), "cannot be used: " + e.getMessage());
        }
    }

    /** The server's key managers (its key and certificate chain). */
    public KeyManager[] keyManagers() {
        return keyManagers.clone();
    }

    /** The managers that verify client certificates; empty without a truststore. */
    public TrustManager[] trustManagers() {
        return trustManagers.clone();
    }

    /** Whether client certificates can be verified (a truststore is set). */
    public boolean verifiesClients() {
        return trustManagers.length > 0;
    }

    /** A TLS context of this material; without a truststore, the JDK's default trust (which no client certificate needs). */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, verifiesClients() ? trustManagers : null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    private static KeyStore keyStore(Path path, String password, String key) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, path.toString(), "cannot be read as a PKCS12 store: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial[keys=" + keyManagers.length + ", trust=" + trustManagers.length + "]";
    }
}
