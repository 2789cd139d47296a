package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision every listener shares (the HTTP filter, the gateway's gRPC interceptor) for what a plain-text call can
 * carry: a bearer token or nothing; client certificates are exercised over real TLS in SecureHttpServerIT and the
 * gateway's OtlpGrpcServerTlsTest. And the binding rule both apply.
 */
class RequestAuthenticatorTest {

    @TempDir
    Path dir;

    private final String publisher = Tokens.generate("app");
    private final String viewer = Tokens.generate("grafana");

    @Test
    void shouldGiveThePrincipalOfATokenWithTheRoleNeeded() throws Exception {
        Authentication result = authenticator().authorize("Bearer " + publisher, null, Role.PUBLISHER);

        assertThat(result).isEqualTo(new Authentication.Authenticated(new Principal("app", java.util.Set.of(Role.PUBLISHER))));
    }

    @Test
    void shouldRefuseATokenWithoutTheRoleNamingWhoItWas() throws Exception {
        Authentication result = authenticator().authorize("bearer " + viewer, null, Role.PUBLISHER);

        assertThat(result).isInstanceOfSatisfying(Authentication.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Refusal.MISSING_ROLE);
            assertThat(refused.principal()).map(Principal::name).contains("grafana");
        });
    }

    @Test
    void shouldRefuseNoCredentialAnotherSchemeAndAnUnknownToken() throws Exception {
        RequestAuthenticator authenticator = authenticator();

        assertThat(authenticator.authorize(null, null, Role.PUBLISHER)).isEqualTo(new Authentication.Refused(Refusal.MISSING_CREDENTIALS));
        assertThat(authenticator.authorize("Basic YWxpY2U6c2VjcmV0", null, Role.PUBLISHER))
                .isEqualTo(new Authentication.Refused(Refusal.MALFORMED_CREDENTIALS));
        assertThat(authenticator.authorize("Bearer " + Tokens.generate("app"), null, Role.PUBLISHER))
                .isEqualTo(new Authentication.Refused(Refusal.UNKNOWN_TOKEN, Optional.empty()));
    }

    @Test
    void shouldRefuseToBindBeyondLoopbackWithoutAnAccessFileButServeLoopback() {
        assertThatThrownBy(() -> BindingRule.check("otlp.grpc.host", "0.0.0.0", "the test endpoint", false, true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("otlp.grpc.host")
                .hasMessageContaining("the test endpoint would serve 0.0.0.0 without authentication; set http.access.file");

        BindingRule.check("otlp.grpc.host", "127.0.0.1", "the test endpoint", false, false);
        BindingRule.check("otlp.grpc.host", "0.0.0.0", "the test endpoint", true, false);
        assertThat(BindingRule.isLoopback("::1")).isTrue();
        assertThat(BindingRule.isLoopback("0.0.0.0")).isFalse();
    }

    private RequestAuthenticator authenticator() throws Exception {
        Path access = Files.writeString(dir.resolve("access.yaml"), """
                tokens:
                  - {id: app, principal: app, roles: [publisher], sha256: %s}
                  - {id: grafana, principal: grafana, roles: [viewer], sha256: %s}
                """.formatted(Tokens.sha256Hex(publisher), Tokens.sha256Hex(viewer)));
        return new RequestAuthenticator(AccessControl.load(access, AccessControl.DEFAULT_POLL, Clock.systemUTC()), Clock.systemUTC());
    }
}
