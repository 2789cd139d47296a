package dev.vigil.console;

import java.nio.file.Path;
import java.time.Duration;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.runtime.config.SecretKey;

/** Every setting of the operator console, defined once: {@link ConsoleConfig} reads them, docs/console.md lists them. */
public final class ConsoleKeys {

    public static final ConfigKey<String> CLICKHOUSE_URL = ConfigKey.string("clickhouse.url").withDefault("http://127.0.0.1:8123")
            .validatedBy(url -> url.matches("https?://.+"), "must be an http:// or https:// URL").doc("HTTP(S) endpoint the alerts and samples are read from");
    public static final ConfigKey<String> CLICKHOUSE_USER = ConfigKey.string("clickhouse.user").withDefault("default")
            .doc("the user it reads as (a read-only user will do)");
    public static final SecretKey CLICKHOUSE_PASSWORD = SecretKey.named("clickhouse.password", "the user's password");
    public static final ConfigKey<String> CLICKHOUSE_DATABASE = ConfigKey.string("clickhouse.database").withDefault("vigil")
            .validatedBy(name -> name.matches("[A-Za-z_][A-Za-z0-9_]*"), "must be a plain identifier (letters, digits, _)")
            .doc("where the sink writes");
    public static final ConfigKey<Duration> CLICKHOUSE_TIMEOUT = ConfigKey.duration("clickhouse.timeout").withDefault(Duration.ofSeconds(10))
            .doc("one query");
    public static final SecretKey AUDIT_KEY = SecretKey.named("audit.key",
            "HMAC key of the audit trail (the remediation consumer's), to verify the trail on `/audit`").required();
    public static final ConfigKey<Path> AUDIT_CHECKPOINTS_FILE = ConfigKey.path("audit.checkpoints.file")
            .doc("the remediation consumer's checkpoints file, if the console can read it: without it a truncated trail is not caught");
    public static final ConfigKey<String> SERVICE_NAME = ConfigKey.string("service.name").withDefault("console")
            .validatedBy(name -> name.matches("[A-Za-z0-9._@-]{1,128}"), "must be a user name of the access file")
            .doc("the console's own user in the access file: it signs approvals, and needs the `console` role and a `public_key`");
    public static final ConfigKey<Path> SERVICE_KEY_FILE = ConfigKey.path("service.key.file").required()
            .doc("the console's Ed25519 private key (`vigil keys generate --name console`), readable by its owner only");
    public static final ConfigKey<Duration> SESSION_TTL = ConfigKey.duration("session.ttl").withDefault(Duration.ofHours(8))
            .doc("a session ends this long after login, however busy");
    public static final ConfigKey<Duration> SESSION_IDLE = ConfigKey.duration("session.idle").withDefault(Duration.ofMinutes(30))
            .doc("or after this long without a request");
    public static final ConfigKey<Integer> LOGIN_MAX_FAILURES = ConfigKey.integer("login.max.failures", 1, 1000).withDefault(5)
            .doc("failed logins of one user name, or from one address, before it is locked out");
    public static final ConfigKey<Duration> LOGIN_LOCKOUT = ConfigKey.duration("login.lockout").withDefault(Duration.ofSeconds(30))
            .doc("how long the lockout lasts");
    public static final ConfigKey<Duration> APPROVAL_VALID_FOR = ConfigKey.duration("approval.valid.for").withDefault(Duration.ofMinutes(10))
            .validatedBy(d -> d.compareTo(Duration.ofHours(24)) <= 0, "must be at most 24h")
            .doc("how long an approval given in the console may take to reach the remediation consumer");
    public static final ConfigKey<String> OIDC_ISSUER = ConfigKey.string("oidc.issuer")
            .doc("the OIDC provider's issuer (`iss`); set with `oidc.jwks.url` and `oidc.audience`, requests may carry `Authorization: Bearer <JWT>`");
    public static final ConfigKey<String> OIDC_JWKS_URL = ConfigKey.string("oidc.jwks.url")
            .validatedBy(url -> url.matches("https?://.+"), "must be an http:// or https:// URL").doc("where the provider publishes its keys (JWKS)");
    public static final ConfigKey<String> OIDC_AUDIENCE = ConfigKey.string("oidc.audience").doc("the audience (`aud`) tokens must name");
    public static final ConfigKey<String> OIDC_ROLES_CLAIM = ConfigKey.string("oidc.roles.claim").withDefault("roles")
            .doc("the claim that carries Vigil role names (a list or a space-separated string)");
    public static final ConfigKey<String> OIDC_USERNAME_CLAIM = ConfigKey.string("oidc.username.claim").withDefault("preferred_username")
            .doc("the claim that names the user (falls back to `sub`)");
    public static final ConfigKey<String> HTTP_HOST = CommonKeys.httpHost("the console, `/healthz` and `/metrics`");
    public static final ConfigKey<Integer> HTTP_PORT = CommonKeys.httpPort(9468);

    public static final ConfigDefinition DEFINITION = ConfigDefinition.of("the operator console")
            .with(CommonKeys.kafka("its consumers and producer"), CommonKeys.SCHEMA_REGISTRY, CLICKHOUSE_URL, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD,
                    CLICKHOUSE_DATABASE, CLICKHOUSE_TIMEOUT, AUDIT_KEY, AUDIT_CHECKPOINTS_FILE, SERVICE_NAME, SERVICE_KEY_FILE, SESSION_TTL,
                    SESSION_IDLE, LOGIN_MAX_FAILURES, LOGIN_LOCKOUT, APPROVAL_VALID_FOR, OIDC_ISSUER, OIDC_JWKS_URL, OIDC_AUDIENCE,
                    OIDC_ROLES_CLAIM, OIDC_USERNAME_CLAIM, HTTP_HOST, HTTP_PORT, CommonKeys.HTTP_SECURITY);

    private ConsoleKeys() {
    }
}
