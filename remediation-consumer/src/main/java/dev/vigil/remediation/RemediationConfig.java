package dev.vigil.remediation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.runtime.config.ConfigSource;

/**
 * The remediation consumer's validated settings, from a properties file plus {@code VIGIL_*} variables.
 * Secrets (the audit key, the webhook secret) come from the environment or from files, never the command line,
 * and never appear in {@link #toString()}.
 *
 * @param policyFile      the policy ({@code policy.file}, required)
 * @param auditKey        HMAC key of the audit trail ({@code VIGIL_AUDIT_KEY} or {@code audit.key.file}; at least 32 bytes)
 * @param webhookSecret   HMAC key of webhook signatures ({@code VIGIL_WEBHOOK_SECRET} or {@code webhook.secret.file}); empty if unused
 * @param checkpointsFile where signed checkpoints are appended ({@code audit.checkpoints.file}, vigil-audit-checkpoints)
 * @param checkpointEvery records between checkpoints ({@code audit.checkpoint.every}, 100)
 * @param actor           who the trail says decided ({@code actor}, remediation@HOST)
 * @param fleetSize       hosts in the fleet, for the share cap ({@code fleet.size}; 0: the hosts seen in alerts)
 * @param hostAgentTimeout how long a host's agent has to run an action and answer ({@code host.agent.timeout}, 2m)
 * @param httpHost        address of /healthz and /metrics ({@code http.host}, 127.0.0.1)
 * @param httpPort        ({@code http.port}, 9467; 0 for any)
 */
public record RemediationConfig(String groupId, Map<String, Object> kafka, Map<String, Object> registry, Path policyFile,
                                byte[] auditKey, byte[] webhookSecret, Path checkpointsFile, int checkpointEvery, String actor,
                                int fleetSize, Duration hostAgentTimeout, String httpHost, int httpPort) {

    public RemediationConfig {
        Objects.requireNonNull(groupId, "groupId can't be null");
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
        Objects.requireNonNull(policyFile, "policyFile can't be null");
        if (auditKey.length < 32) {
            throw new ConfigException("audit.key", "(hidden)", "must have at least 32 bytes, has " + auditKey.length);
        }
    }

    public static RemediationConfig from(ConfigSource config) {
        return new RemediationConfig(
                config.string("group.id", "vigil-remediation"),
                config.kafkaClient(), config.schemaRegistry(),
                Path.of(config.required("policy.file")),
                secret(config, "audit.key"),
                config.optional("webhook.secret").isPresent() || config.optional("webhook.secret.file").isPresent()
                        ? secret(config, "webhook.secret") : new byte[0],
                Path.of(config.string("audit.checkpoints.file", "vigil-audit-checkpoints")),
                config.integer("audit.checkpoint.every", 100, 1, 1_000_000),
                config.string("actor", "remediation@" + hostName()),
                config.integer("fleet.size", 0, 0, 10_000_000),
                config.duration("host.agent.timeout", Duration.ofMinutes(2)),
                config.string("http.host", "127.0.0.1"),
                config.integer("http.port", 9467, 0, 65_535));
    }

    /**
     * A secret: {@code key} from the environment ({@code VIGIL_KEY}; the config file works too, but the
     * environment or a file of its own is the place) or the contents of the file named by {@code key.file}.
     *
     * @throws ConfigException naming the key when neither is there
     */
    public static byte[] secret(ConfigSource config, String key) {
        Optional<String> file = config.optional(key + ".file");
        if (file.isPresent()) {
            try {
                return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(key + ".file", file.get(), "cannot be read: " + e.getMessage());
            }
        }
        return config.optional(key).map(value -> value.getBytes(StandardCharsets.UTF_8))
                .orElseThrow(() -> new ConfigException(key, "(missing)", "set " + ConfigSource.variableFor(key) + " or " + key + ".file"));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return "RemediationConfig[group.id=" + groupId + ", policy.file=" + policyFile + ", audit.key=****, webhook.secret="
                + (webhookSecret.length == 0 ? "(none)" : "****") + ", audit.checkpoints.file=" + checkpointsFile + ", actor=" + actor + "]";
    }
}
