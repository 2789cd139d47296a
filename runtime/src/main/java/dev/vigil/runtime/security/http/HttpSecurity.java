package dev.vigil.runtime.security.http;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigValues;

/**
 * How a service's HTTP endpoint is secured, from {@link CommonKeys#HTTP_SECURITY}: who may call it (the access file),
 * whether it speaks TLS, with or without client certificates, and what one client may send ({@link HttpLimits}). The
 * passwords are read from their {@code SecretKey}s and never shown ({@link #toString}).
 */
public record HttpSecurity(Optional<Path> accessFile, Optional<Path> keystore, String keystorePassword, ClientAuth clientAuth,
                           Optional<Path> truststore, String truststorePassword, HttpLimits limits) {

    /** Whether the server asks for client certificates. */
    public enum ClientAuth {
        NONE, WANT, NEED
    }

    public HttpSecurity {
        Objects.requireNonNull(accessFile, "accessFile can't be null");
        Objects.requireNonNull(keystore, "keystore can't be null");
        Objects.requireNonNull(clientAuth, "clientAuth can't be null");
        Objects.requireNonNull(truststore, "truststore can't be null");
        Objects.requireNonNull(limits, "limits can't be null");
    }

    /** Plain HTTP, no access file: what tests and {@code vigil dev} use on loopback. */
    public static HttpSecurity none() {
        return new HttpSecurity(Optional.empty(), Optional.empty(), "", ClientAuth.NONE, Optional.empty(), "", HttpLimits.DEFAULT);
    }

    /** Read from a service's settings. */
    public static HttpSecurity from(ConfigValues values) {
        return new HttpSecurity(values.optional(CommonKeys.HTTP_ACCESS_FILE), values.optional(CommonKeys.HTTP_TLS_KEYSTORE),
                CommonKeys.HTTP_TLS_KEYSTORE_PASSWORD.get(values),
                ClientAuth.valueOf(values.get(CommonKeys.HTTP_TLS_CLIENT_AUTH).toUpperCase(Locale.ROOT)),
                values.optional(CommonKeys.HTTP_TLS_TRUSTSTORE), CommonKeys.HTTP_TLS_TRUSTSTORE_PASSWORD.get(values), HttpLimits.from(values));
    }

    /** This with the access file {@code file}. */
    public HttpSecurity withAccessFile(Path file) {
        return new HttpSecurity(Optional.of(file), keystore, keystorePassword, clientAuth, truststore, truststorePassword, limits);
    }

    /** This serving TLS from {@code keystore}, asking client certificates as {@code clientAuth} says, trusting {@code truststore}. */
    public HttpSecurity withTls(Path keystore, String password, ClientAuth clientAuth, Path truststore, String truststorePassword) {
        return new HttpSecurity(accessFile, Optional.of(keystore), password, clientAuth, Optional.ofNullable(truststore),
                truststorePassword == null ? "" : truststorePassword, limits);
    }

    /** This with {@code limits}. */
    public HttpSecurity withLimits(HttpLimits limits) {
        return new HttpSecurity(accessFile, keystore, keystorePassword, clientAuth, truststore, truststorePassword, limits);
    }

    @Override
    public String toString() {
        return "HttpSecurity[accessFile=" + accessFile.map(Path::toString).orElse("none") + ", tls="
                + keystore.map(Path::toString).orElse("off") + ", clientAuth=" + clientAuth + ", " + limits + "]";
    }
}
