package dev.vigil.console;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.http.HttpSecurity;

/**
 * The console's validated settings, read through {@link ConsoleKeys}. An access file is required: the console's users are
 * the access file's, so without one there is no one to let in, and the console refuses to start.
 *
 * @param kafka            client settings of the cluster
 * @param registry         settings of the schema registry client
 * @param auditKey         the HMAC key of the audit trail, to verify it (never shown)
 * @param checkpointsFile  the remediation consumer's checkpoints, if readable here
 * @param serviceName      the console's user in the access file, the signer of the approvals it publishes
 * @param serviceKeyFile   its Ed25519 private key
 * @param oidc             the OIDC provider whose JWTs are accepted, if any
 */
public record ConsoleConfig(Map<String, Object> kafka, Map<String, Object> registry, String clickHouseUrl, String clickHouseUser,
                            String clickHousePassword, String clickHouseDatabase, Duration clickHouseTimeout, byte[] auditKey,
                            Optional<Path> checkpointsFile, String serviceName, Path serviceKeyFile, Duration sessionTtl, Duration sessionIdle,
                            int loginMaxFailures, Duration loginLockout, Duration approvalValidFor, Optional<Oidc> oidc, String httpHost,
                            int httpPort, HttpSecurity httpSecurity) {

    /** Where JWTs come from and what they must say. */
    public record Oidc(String issuer, String jwksUrl, String audience, String rolesClaim, String usernameClaim) {
    }

    public ConsoleConfig {
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(clickHousePassword, "clickHousePassword can't be null");
        auditKey = auditKey.clone();
        Objects.requireNonNull(serviceKeyFile, "serviceKeyFile can't be null");
        if (httpSecurity.accessFile().isEmpty()) {
            throw new ConfigException(CommonKeys.HTTP_ACCESS_FILE.name(), "", "the console needs an access file with users (`vigil user add` "
                    + "makes them): without users, no one can log in (docs/console.md)");
        }
    }

    /** Reads and validates the settings. */
    public static ConsoleConfig from(ConfigSource source) {
        ConfigValues config = ConsoleKeys.DEFINITION.read(source);
        List<Optional<String>> oidcParts = Stream.of(ConsoleKeys.OIDC_ISSUER, ConsoleKeys.OIDC_JWKS_URL, ConsoleKeys.OIDC_AUDIENCE)
                .map(config::optional).toList();
        Optional<Oidc> oidc = Optional.empty();
        if (oidcParts.stream().anyMatch(Optional::isPresent)) {
            if (oidcParts.stream().anyMatch(Optional::isEmpty)) {
                throw config.invalid(ConsoleKeys.OIDC_ISSUER, "OIDC needs oidc.issuer, oidc.jwks.url and oidc.audience together");
            }
            oidc = Optional.of(new Oidc(oidcParts.get(0).get(), oidcParts.get(1).get(), oidcParts.get(2).get(),
                    config.get(ConsoleKeys.OIDC_ROLES_CLAIM), config.get(ConsoleKeys.OIDC_USERNAME_CLAIM)));
        }
        byte[] auditKey = ConsoleKeys.AUDIT_KEY.get(config).getBytes(StandardCharsets.UTF_8);
        if (auditKey.length < 32) {
            throw new ConfigException(ConsoleKeys.AUDIT_KEY.toString(), "(secret)", "must have at least 32 bytes, as the remediation consumer's");
        }
        if (config.get(ConsoleKeys.SESSION_IDLE).compareTo(config.get(ConsoleKeys.SESSION_TTL)) > 0) {
            throw config.invalid(ConsoleKeys.SESSION_IDLE, "must not be longer than session.ttl");
        }
        return new ConsoleConfig(CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config), config.get(ConsoleKeys.CLICKHOUSE_URL),
                config.get(ConsoleKeys.CLICKHOUSE_USER), ConsoleKeys.CLICKHOUSE_PASSWORD.get(config), config.get(ConsoleKeys.CLICKHOUSE_DATABASE),
                config.get(ConsoleKeys.CLICKHOUSE_TIMEOUT), auditKey, config.optional(ConsoleKeys.AUDIT_CHECKPOINTS_FILE),
                config.get(ConsoleKeys.SERVICE_NAME), config.get(ConsoleKeys.SERVICE_KEY_FILE), config.get(ConsoleKeys.SESSION_TTL),
                config.get(ConsoleKeys.SESSION_IDLE), config.get(ConsoleKeys.LOGIN_MAX_FAILURES), config.get(ConsoleKeys.LOGIN_LOCKOUT),
                config.get(ConsoleKeys.APPROVAL_VALID_FOR), oidc, config.get(ConsoleKeys.HTTP_HOST), config.get(ConsoleKeys.HTTP_PORT),
                HttpSecurity.from(config));
    }

    @Override
    public String toString() {
        return "ConsoleConfig[clickHouse=" + clickHouseUrl + ", database=" + clickHouseDatabase + ", service=" + serviceName + ", http="
                + httpHost + ":" + httpPort + ", " + httpSecurity + ", oidc=" + oidc.map(Oidc::issuer).orElse("off") + "]";
    }
}
