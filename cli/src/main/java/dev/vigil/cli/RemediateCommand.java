package dev.vigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.RemediationService;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.runtime.security.SigningKeys;
import picocli.CommandLine.Command;

/** {@code vigil remediate}: the remediation consumer, until Ctrl-C. */
@Command(name = "remediate", mixinStandardHelpOptions = true,
        description = {"Runs the remediation consumer: alerts -> policy -> guarded, audited actions (dry run unless the",
            "policy says dry_run: false). Needs policy.file and the audit key (VIGIL_AUDIT_KEY or audit.key.file).",
            "Policy language and guards: docs/remediation.md."})
final class RemediateCommand extends ServiceCommand {

    @Override
    AutoCloseable start(ClientSettings settings, PrintWriter out) throws Exception {
        RemediationConfig config = RemediationConfig.from(settings.load());
        RemediationService service = RemediationService.start(config);
        out.printf("Remediating with %s as %s; audit checkpoints in %s; Ctrl-C stops.%n", config.policyFile(), config.actor(),
                config.checkpointsFile());
        return service;
    }

    /** A dry-run policy for {@code vigil dev}: every decision audited, nothing executed. */
    static final String DEV_POLICY = """
            # vigil dev: decide and audit, never execute (see docs/remediation.md).
            dry_run: true
            fleet: {max_hosts: 5, max_share: 0.2}
            rules:
              - name: restart-on-cpu
                match: {metric: "system\\\\.cpu\\\\..*"}
                target_cooldown: 15m
                action: {executor: host-agent, name: restart, parameters: {unit: "{{host_id}}"}}
              - name: clean-disk
                match: {metric: "system\\\\.filesystem\\\\..*"}
                approval: true
                action: {executor: host-agent, name: clean-tmp}
              - name: page-a-person
                action: {executor: host-agent, name: inspect}
                approval: true
            """;

    /**
     * The settings {@code vigil dev} runs remediation with: a dry-run policy and a random audit key written to the
     * work folder (the key readable by its owner only), and a fresh checkpoints file, as the dev stack's Kafka is
     * fresh each start.
     */
    static RemediationConfig devConfig(String bootstrapServers, String registryUrl, Path workDir) throws IOException {
        Path policy = workDir.resolve("remediation-policy.yaml");
        if (!Files.exists(policy)) {
            Files.writeString(policy, DEV_POLICY, StandardCharsets.UTF_8);
        }
        Path key = workDir.resolve("audit.key");
        if (!Files.exists(key)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, HexFormat.of().formatHex(random), StandardCharsets.UTF_8);
        }
        Path checkpoints = workDir.resolve("audit-checkpoints");
        Files.deleteIfExists(checkpoints);
        Path access = devAccessFile(workDir);
        return RemediationConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "policy.file", policy.toString(),
                "audit.key.file", key.toString(),
                "audit.checkpoints.file", checkpoints.toString(),
                "actor", "vigil-dev",
                "http.access.file", access.toString(),
                "http.port", "0")));
    }

    /** The development approver, whose key {@code vigil dev} prints: {@code vigil approve ID --key-file} it. */
    static final String DEV_APPROVER = "dev-approver";

    /**
     * An access file for {@code vigil dev} with one approver and its key pair under {@code workDir/keys}, made once: signed
     * approvals work in development as in production, without turning on {@code approvals.unsigned.allowed}.
     */
    static Path devAccessFile(Path workDir) throws IOException {
        Path access = workDir.resolve("access.yaml");
        Path privateKey = devApproverKey(workDir);
        if (!Files.exists(privateKey)) {
            SigningKeys.write(SigningKeys.generate(), privateKey.getParent(), DEV_APPROVER);
            Files.deleteIfExists(access);
        }
        if (!Files.exists(access)) {
            Files.createFile(access, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(access, "# made by vigil dev: one approver for signed approvals (docs/security.md#signed-approvals)\n"
                    + "users:\n  - {name: " + DEV_APPROVER + ", roles: [approver], public_key: keys/" + DEV_APPROVER + ".pub}\n",
                    StandardCharsets.UTF_8);
        }
        return access;
    }

    static Path devApproverKey(Path workDir) {
        return workDir.resolve("keys").resolve(DEV_APPROVER + ".key");
    }
}
