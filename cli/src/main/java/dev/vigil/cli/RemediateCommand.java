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
import java.util.Optional;

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
     * The access file of {@code vigil dev}, made if missing: the development approver and the console's service principal,
     * each with a key pair under {@code workDir/keys}, so signed approvals work in development as in production, without
     * turning on {@code approvals.unsigned.allowed}.
     */
    static Path devAccessFile(Path workDir) throws IOException {
        Path access = workDir.resolve("access.yaml");
        if (!Files.exists(access) || !Files.exists(devApproverKey(workDir)) || !Files.exists(devConsoleKey(workDir))) {
            writeDevAccessFile(workDir, Optional.empty());
        }
        return access;
    }

    /**
     * Writes the access file of {@code vigil dev} afresh: the development approver, the console's service principal (role
     * {@code console}) and, with {@code adminPasswordHash}, the user {@code admin} whose one-time password {@code vigil dev}
     * printed. Key pairs are made once and kept.
     */
    static Path writeDevAccessFile(Path workDir, Optional<String> adminPasswordHash) throws IOException {
        Path access = workDir.resolve("access.yaml");
        if (!Files.exists(devApproverKey(workDir))) {
            SigningKeys.write(SigningKeys.generate(), devApproverKey(workDir).getParent(), DEV_APPROVER);
        }
        if (!Files.exists(devConsoleKey(workDir))) {
            SigningKeys.write(SigningKeys.generate(), devConsoleKey(workDir).getParent(), DEV_CONSOLE);
        }
        StringBuilder yaml = new StringBuilder("# made by vigil dev at each start: an approver for signed approvals, the console's service\n"
                + "# principal and the console's admin (docs/security.md, docs/console.md)\nusers:\n"
                + "  - {name: " + DEV_APPROVER + ", roles: [approver], public_key: keys/" + DEV_APPROVER + ".pub}\n"
                + "  - {name: " + DEV_CONSOLE + ", roles: [console], public_key: keys/" + DEV_CONSOLE + ".pub}\n");
        adminPasswordHash.ifPresent(hash -> yaml.append("  - {name: admin, roles: [admin], password: \"").append(hash).append("\"}\n"));
        Path written = Files.createTempFile(workDir, "access", ".yaml",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(written, yaml, StandardCharsets.UTF_8);
        Files.move(written, access, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return access;
    }

    /** The console's service principal in development, whose key signs the approvals given in the console. */
    static final String DEV_CONSOLE = "console";

    static Path devConsoleKey(Path workDir) {
        return workDir.resolve("keys").resolve(DEV_CONSOLE + ".key");
    }

    static Path devApproverKey(Path workDir) {
        return workDir.resolve("keys").resolve(DEV_APPROVER + ".key");
    }
}
