package dev.vigil.remediation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.runtime.config.SecretKey;

/**
 * Every setting of the remediation consumer, defined once: {@link RemediationConfig} reads them, docs/remediation.md
 * lists them, and {@code vigil approve}, {@code deny} and {@code audit verify} accept the same file.
 */
public final class RemediationKeys {

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("group.id").withDefault("vigil-remediation")
            .doc("consumer group of the alerts and approvals");
    public static final ConfigKey<Path> POLICY_FILE = ConfigKey.path("policy.file").required().doc("the policy");
    public static final SecretKey AUDIT_KEY = SecretKey.named("audit.key", "HMAC key of the audit trail, at least 32 bytes").required();
    public static final SecretKey WEBHOOK_SECRET = SecretKey.named("webhook.secret", "HMAC key of webhook signatures; needed for webhook rules");
    public static final ConfigKey<Path> AUDIT_CHECKPOINTS_FILE = ConfigKey.path("audit.checkpoints.file")
            .withDefault(Path.of("vigil-audit-checkpoints")).doc("where signed checkpoints of the trail are appended");
    public static final ConfigKey<Integer> AUDIT_CHECKPOINT_EVERY = ConfigKey.integer("audit.checkpoint.every", 1, 1_000_000).withDefault(100)
            .doc("audit records between checkpoints");
    public static final ConfigKey<String> ACTOR = ConfigKey.string("actor").withDefault(() -> "remediation@" + hostName(), "`remediation@HOST`")
            .doc("who the trail says decided");
    public static final ConfigKey<Boolean> APPROVALS_UNSIGNED_ALLOWED = ConfigKey.bool("approvals.unsigned.allowed").withDefault(false)
            .doc("accept approvals that are not signed, from anyone who can write to the approvals topic: for development only, "
                    + "logged at WARN at start. Signed approvals are checked against the users and public keys of `http.access.file` "
                    + "([security.md](security.md#signed-approvals))");
    public static final ConfigKey<Integer> FLEET_SIZE = ConfigKey.integer("fleet.size", 0, 10_000_000).withDefault(0)
            .doc("hosts in the fleet, for the share cap; 0 counts the hosts seen in alerts");
    public static final ConfigKey<Duration> HOST_AGENT_TIMEOUT = ConfigKey.duration("host.agent.timeout").withDefault(Duration.ofMinutes(2))
            .doc("how long a host's agent has to run an action and answer");
    public static final ConfigKey<String> HTTP_HOST = CommonKeys.httpHost("`/healthz` (503 with the reason while the schema registry does not answer, or once the loop stopped) and `/metrics`");
    public static final ConfigKey<Integer> HTTP_PORT = CommonKeys.httpPort(9467);

    public static final ConfigDefinition DEFINITION = ConfigDefinition.of("the remediation consumer")
            .with(CommonKeys.kafka("its consumers and producers"), CommonKeys.SCHEMA_REGISTRY, GROUP_ID, POLICY_FILE, AUDIT_KEY, WEBHOOK_SECRET,
                    AUDIT_CHECKPOINTS_FILE, AUDIT_CHECKPOINT_EVERY, ACTOR, APPROVALS_UNSIGNED_ALLOWED, FLEET_SIZE, HOST_AGENT_TIMEOUT, HTTP_HOST, HTTP_PORT, CommonKeys.HTTP_SECURITY);

    private RemediationKeys() {
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
