package dev.vigil.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.vigil.runtime.security.Role;

class OidcVerifierTest {

    private static final String ISSUER = "https://id.example.org/realms/ops";
    private static final String AUDIENCE = "vigil-console";

    private final RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    private final RSAKey otherRsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    private final ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    private final KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    private final OctetKeyPair okp = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawEd25519(ed))).keyID("ed-1").build();
    private final OidcVerifier verifier = new OidcVerifier(new ImmutableJWKSet<>(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), okp))),
            ISSUER, AUDIENCE, "roles", "preferred_username");

    OidcVerifierTest() throws Exception {
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("u-123").claim("preferred_username", "carol")
                .claim("roles", List.of("approver", "operator", "console", "astronaut")).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private String rs256(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static OidcVerifier.Problem problem(OidcVerifier.Result result) {
        assertThat(result).isInstanceOf(OidcVerifier.Result.Invalid.class);
        return ((OidcVerifier.Result.Invalid) result).problem();
    }

    @Test
    void shouldAcceptAnRs256TokenOfTheProviderAndTakeTheNameAndVigilRolesFromItsClaims() throws Exception {
        OidcVerifier.Result result = verifier.verify(rs256(claims().build(), rsa));

        assertThat(result).isInstanceOf(OidcVerifier.Result.Valid.class);
        ConsoleUser user = ((OidcVerifier.Result.Valid) result).user();
        assertThat(user.name()).isEqualTo("carol");
        assertThat(user.via()).isEqualTo("oidc");
        assertThat(user.principal().roles()).as("unknown names ignored; console is never granted by a token")
                .containsExactlyInAnyOrder(Role.APPROVER, Role.OPERATOR);
    }

    @Test
    void shouldAcceptEs256AndEd25519Tokens() throws Exception {
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
        es.sign(new ECDSASigner(ec));
        assertThat(verifier.verify(es.serialize())).isInstanceOf(OidcVerifier.Result.Valid.class);

        assertThat(verifier.verify(eddsa(claims().build(), ed))).isInstanceOf(OidcVerifier.Result.Valid.class);
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(problem(verifier.verify(eddsa(claims().build(), other)))).isEqualTo(OidcVerifier.Problem.SIGNATURE);
    }

    @Test
    void shouldRefuseAnExpiredToken() throws Exception {
        String expired = rs256(claims().expirationTime(Date.from(Instant.now().minusSeconds(3600))).build(), rsa);

        assertThat(problem(verifier.verify(expired))).isEqualTo(OidcVerifier.Problem.CLAIMS);
    }

    @Test
    void shouldRefuseATokenForAnotherAudienceOrFromAnotherIssuer() throws Exception {
        assertThat(problem(verifier.verify(rs256(claims().audience("another-app").build(), rsa)))).isEqualTo(OidcVerifier.Problem.CLAIMS);
        assertThat(problem(verifier.verify(rs256(claims().issuer("https://evil.example").build(), rsa)))).isEqualTo(OidcVerifier.Problem.CLAIMS);
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherKeyUnderTheProvidersKeyId() throws Exception {
        assertThat(problem(verifier.verify(rs256(claims().build(), otherRsa)))).isEqualTo(OidcVerifier.Problem.SIGNATURE);
    }

    @Test
    void shouldRefuseAnUnsecuredTokenWithAlgNone() {
        String none = new PlainJWT(claims().build()).serialize();

        assertThat(problem(verifier.verify(none))).isEqualTo(OidcVerifier.Problem.MALFORMED);
        String forgedHeader = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(claims().build().toString().getBytes(StandardCharsets.UTF_8)) + ".";
        assertThat(verifier.verify(forgedHeader)).isInstanceOf(OidcVerifier.Result.Invalid.class);
    }

    @Test
    void shouldRefuseHmacEvenKeyedWithThePublicKey() throws Exception {
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        byte[] secret = Arrays.copyOf(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8), 64);
        hs.sign(new MACSigner(secret));

        assertThat(problem(verifier.verify(hs.serialize()))).isEqualTo(OidcVerifier.Problem.ALGORITHM);
    }

    @Test
    void shouldRefuseWhatIsNotAJwt() {
        assertThat(problem(verifier.verify("not.a.jwt"))).isEqualTo(OidcVerifier.Problem.MALFORMED);
    }

    /** An EdDSA JWT signed with the JDK, as a provider with Ed25519 keys issues it. */
    private static String eddsa(JWTClaimsSet claims, KeyPair key) throws Exception {
        String header = Base64URL.encode("{\"alg\":\"EdDSA\",\"kid\":\"ed-1\"}".getBytes(StandardCharsets.UTF_8)).toString();
        String payload = Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8)).toString();
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(key.getPrivate());
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    }

    /** The raw 32 bytes of an Ed25519 public key: its X.509 encoding without the 12-byte prefix. */
    private static byte[] rawEd25519(KeyPair key) {
        byte[] encoded = key.getPublic().getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }
}
