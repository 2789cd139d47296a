package dev.vigil.remediation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.http.HttpSecurity;

/**
 * The remediation consumer's validated settings, from a properties file plus {@code VIGIL_*} variables, read through
 * {@link RemediationKeys} (where every key is defined with its default, checks and doc). Secrets (the audit key, the
 * webhook secret) come from the environment or from files, never the command line, and never appear in
 * {@link #toString()}.
 *
 * @param groupId         consumer group
 * @param kafka           consumer and producer settings: every {@code kafka.*} key without the prefix
 * @param registry        schema registry client settings
 * @param policyFile      the policy
 * @param auditKey        HMAC key of the audit trail; at least 32 bytes
 * @param webhookSecret   HMAC key of webhook signatures; empty if unused
 * @param checkpointsFile where signed checkpoints are appended
 * @param checkpointEvery records between checkpoints
 * @param actor           who the trail says decided
 * @param unsignedApprovalsAllowed accept unsigned approvals (development only)
 * @param fleetSize       hosts in the fleet, for the share cap (0: the hosts seen in alerts)
 * @param hostAgentTimeout how long a host's agent has to run an action and answer
 * @param httpHost        address of /healthz and /metrics
 * @param httpPort        its port (0 for any)
 * @param httpSecurity    who may call it, and TLS
 */
public record RemediationConfig(String groupId, Map<String, Object> kafka, Map<String, Object> registry, Path policyFile,
                                byte[] auditKey, byte[] webhookSecret, Path checkpointsFile, int checkpointEvery, String actor,
                                boolean unsignedApprovalsAllowed,
                                int fleetSize, Duration hostAgentTimeout, String httpHost, int httpPort, HttpSecurity httpSecurity) {

    public RemediationConfig {
        Objects.requireNonNull(groupId, "groupId can't be null");
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(policyFile, "policyFile can't be null");
        if (auditKey.length < 32) {
            throw new ConfigException("audit.key", "(hidden)", "must have at least 32 bytes, has " + auditKey.length);
        }
    }

    /** Reads and validates the settings. */
    public static RemediationConfig from(ConfigSource source) {
        ConfigValues config = RemediationKeys.DEFINITION.read(source);
        return new RemediationConfig(
                config.get(RemediationKeys.GROUP_ID),
                CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config),
                config.get(RemediationKeys.POLICY_FILE),
                RemediationKeys.AUDIT_KEY.get(config).getBytes(StandardCharsets.UTF_8),
                RemediationKeys.WEBHOOK_SECRET.get(config).getBytes(StandardCharsets.UTF_8),
                config.get(RemediationKeys.AUDIT_CHECKPOINTS_FILE),
                config.get(RemediationKeys.AUDIT_CHECKPOINT_EVERY),
                config.get(RemediationKeys.ACTOR),
                config.get(RemediationKeys.APPROVALS_UNSIGNED_ALLOWED),
                config.get(RemediationKeys.FLEET_SIZE),
                config.get(RemediationKeys.HOST_AGENT_TIMEOUT),
                config.get(RemediationKeys.HTTP_HOST),
                config.get(RemediationKeys.HTTP_PORT),
                HttpSecurity.from(config));
    }

    @Override
    public String toString() {
        return "RemediationConfig[group.id=" + groupId + ", policy.file=" + policyFile + ", audit.key=****, webhook.secret="
                + (webhookSecret.length == 0 ? "(none)" : "****") + ", audit.checkpoints.file=" + checkpointsFile + ", actor=" + actor
                + (unsignedApprovalsAllowed ? ", approvals.unsigned.allowed=true" : "") + "]";
    }
}
