package dev.vigil.console.auth;

import java.net.MalformedURLException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;

import dev.vigil.runtime.security.ApprovalScope;
import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Role;

/**
 * An OIDC provider's JWTs ({@code Authorization: Bearer <JWT>}), with nimbus-jose-jwt: the signature must verify with a key
 * of the provider's JWKS (fetched and cached by nimbus) under an allowed algorithm (RS256, ES256, EdDSA with Ed25519; never
 * {@code none}, never HMAC, whatever the header says), and the claims must name the issuer and the audience, with
 * {@code exp} in the future. The roles come from one claim; names that are not Vigil roles are ignored.
 * <p>
 * Ed25519 is verified with the JDK's own {@code Ed25519} signature, as Vigil's approvals are: nimbus would need Google Tink for it.
 */
public final class OidcVerifier {

    private static final Logger log = LoggerFactory.getLogger(OidcVerifier.class);
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
    /** The X.509 SubjectPublicKeyInfo prefix of a raw 32-byte Ed25519 key (RFC 8410). */
    private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** Why a token was refused, for the log and the metric; a closed set. */
    public enum Problem {
        MALFORMED, ALGORITHM, UNKNOWN_KEY, SIGNATURE, CLAIMS
    }

    /** What checking a token found. */
    public sealed interface Result {
        record Valid(ConsoleUser user) implements Result {
        }

        record Invalid(Problem problem, String detail) implements Result {
        }
    }

    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTClaimsVerifier<SecurityContext> claims;
    private final String rolesClaim;
    private final String usernameClaim;

    /**
     * @param keys where the provider's keys come from ({@link #fromUrl} for a JWKS URL)
     */
    public OidcVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, String rolesClaim, String usernameClaim) {
        this.keys = Objects.requireNonNull(keys, "keys can't be null");
        this.claims = new DefaultJWTClaimsVerifier<>(Objects.requireNonNull(audience, "audience can't be null"),
                new JWTClaimsSet.Builder().issuer(Objects.requireNonNull(issuer, "issuer can't be null")).build(), Set.of("exp", "sub"));
        this.rolesClaim = Objects.requireNonNull(rolesClaim, "rolesClaim can't be null");
        this.usernameClaim = Objects.requireNonNull(usernameClaim, "usernameClaim can't be null");
    }

    /** Keys from a JWKS URL, cached and refreshed by nimbus when a token names a key it does not know. */
    public static JWKSource<SecurityContext> fromUrl(String jwksUrl) {
        try {
            return JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("oidc.jwks.url is not a URL: " + e.getMessage(), e);
        }
    }

    /** Checks {@code token} (the JWT as the header carries it). */
    public Result verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token); // a plain (alg none) or encrypted token is not a SignedJWT: refused here
        } catch (ParseException e) {
            return new Result.Invalid(Problem.MALFORMED, "not a signed JWT: " + e.getMessage());
        }
        JWSHeader header = jwt.getHeader();
        if (!ALLOWED.contains(header.getAlgorithm())) {
            return new Result.Invalid(Problem.ALGORITHM, "algorithm " + header.getAlgorithm() + " is not allowed");
        }
        List<JWK> candidates;
        try {
            JWKMatcher.Builder matcher = new JWKMatcher.Builder().algorithms(header.getAlgorithm(), null);
            if (header.getKeyID() != null) {
                matcher.keyID(header.getKeyID());
            }
            candidates = keys.get(new JWKSelector(matcher.build()), null);
        } catch (Exception e) {
            log.warn("The OIDC provider's keys cannot be fetched: {}", e.toString());
            return new Result.Invalid(Problem.UNKNOWN_KEY, "the provider's keys cannot be fetched");
        }
        boolean verified = false;
        for (JWK key : candidates) {
            if (verifies(jwt, key)) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            return new Result.Invalid(candidates.isEmpty() ? Problem.UNKNOWN_KEY : Problem.SIGNATURE,
                    candidates.isEmpty() ? "no key of the provider fits the token" : "the signature does not verify");
        }
        JWTClaimsSet set;
        try {
            set = jwt.getJWTClaimsSet();
            claims.verify(set, null);
        } catch (ParseException | BadJOSEException e) {
            return new Result.Invalid(Problem.CLAIMS, e.getMessage());
        }
        String name = stringClaim(set, usernameClaim).orElse(set.getSubject());
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,128}")) {
            return new Result.Invalid(Problem.CLAIMS, "the user name is missing or has characters a Vigil name may not have");
        }
        return new Result.Valid(new ConsoleUser(new Principal(name, roles(set), ApprovalScope.UNLIMITED), "oidc"));
    }

    private static boolean verifies(SignedJWT jwt, JWK key) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        try {
            if (alg.equals(JWSAlgorithm.RS256) && key instanceof RSAKey rsa) {
                return jwt.verify(new RSASSAVerifier(rsa));
            }
            if (alg.equals(JWSAlgorithm.ES256) && key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
                return jwt.verify(new ECDSAVerifier(ec));
            }
            if (alg.equals(JWSAlgorithm.EdDSA) && key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                return ed25519(jwt, okp);
            }
        } catch (JOSEException | GeneralSecurityException e) {
            return false;
        }
        return false;
    }

    private static boolean ed25519(SignedJWT jwt, OctetKeyPair okp) throws GeneralSecurityException {
        byte[] raw = okp.getDecodedX();
        if (raw.length != 32) {
            return false;
        }
        byte[] encoded = new byte[ED25519_PREFIX.length + raw.length];
        System.arraycopy(ED25519_PREFIX, 0, encoded, 0, ED25519_PREFIX.length);
        System.arraycopy(raw, 0, encoded, ED25519_PREFIX.length, raw.length);
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(key);
        signature.update(jwt.getSigningInput());
        return signature.verify(jwt.getSignature().decode());
    }

    private Set<Role> roles(JWTClaimsSet set) {
        Object claim = set.getClaim(rolesClaim);
        Collection<?> names = claim instanceof Collection<?> list ? list
                : claim instanceof String text ? List.of(text.split("\\s+")) : List.of();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object name : names) {
            Role.fromId(String.valueOf(name).toLowerCase(Locale.ROOT)).filter(role -> role != Role.CONSOLE).ifPresent(roles::add);
        }
        return roles;
    }

    private static Optional<String> stringClaim(JWTClaimsSet set, String name) {
        Object value = set.getClaim(name);
        return value instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
    }
}
