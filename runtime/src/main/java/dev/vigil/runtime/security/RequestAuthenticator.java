package dev.vigil.runtime.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The one place where a call's credential becomes a {@link Principal} or a {@link Refusal}, for every listener of
 * Vigil's (the HTTP servers' filter and the gateway's OTLP/gRPC interceptor alike): the bearer token of its
 * {@code Authorization} value if it has one, else the client certificate its TLS session verified, each checked against
 * the access file in force ({@link AccessControl}). The credential itself is never kept nor logged.
 */
public final class RequestAuthenticator {

    private static final String BEARER = "Bearer ";

    private final AccessControl control;
    private final Clock clock;

    public RequestAuthenticator(AccessControl control, Clock clock) {
        this.control = Objects.requireNonNull(control, "control can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    /**
     * Who the caller is.
     *
     * @param authorization the {@code Authorization} header or metadata value, null if absent
     * @param session       the call's TLS session, null over plain text
     * @return the principal; or {@link Refusal#MALFORMED_CREDENTIALS} for a value that is not {@code Bearer ...}, a token's
     *         refusal, {@link Refusal#UNKNOWN_CERTIFICATE} for a certificate the access file does not list,
     *         {@link Refusal#MISSING_CREDENTIALS} for neither a token nor a client certificate
     */
    public Authentication authenticate(String authorization, SSLSession session) {
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return new Authentication.Refused(Refusal.MALFORMED_CREDENTIALS);
            }
            return control.current().authenticateToken(authorization.substring(BEARER.length()).strip(), clock.instant());
        }
        Optional<X509Certificate> certificate = clientCertificate(session);
        if (certificate.isPresent()) {
            return control.current().authenticateCertificate(certificate.get().getSubjectX500Principal());
        }
        return new Authentication.Refused(Refusal.MISSING_CREDENTIALS);
    }

    /**
     * As {@link #authenticate}, and the principal must hold {@code needed}: else {@link Refusal#MISSING_ROLE}, with the
     * principal.
     */
    public Authentication authorize(String authorization, SSLSession session, Role needed) {
        Objects.requireNonNull(needed, "needed can't be null");
        Authentication authentication = authenticate(authorization, session);
        if (authentication instanceof Authentication.Authenticated authenticated && !authenticated.principal().has(needed)) {
            return new Authentication.Refused(Refusal.MISSING_ROLE, Optional.of(authenticated.principal()));
        }
        return authentication;
    }

    /** The access file this checks against. */
    public AccessControl control() {
        return control;
    }

    private static Optional<X509Certificate> clientCertificate(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate certificate ? Optional.of(certificate) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // the client sent no certificate (client auth "want" or "none")
        }
    }
}
