package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.RemediationKeys;
import dev.vigil.remediation.approvals.ApprovalTrail;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.runtime.security.AccessFileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil audit verify}: checks the remediation audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The remediation audit trail.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Reads the whole audit topic and checks the sequence, every record's link and HMAC, and the signed",
                "checkpoints (so a truncated trail is caught), then every APPROVED and DENIED record's approval signature",
                "against its approver's public key in the access file. Exit 0: intact; 1: broken, naming the first bad record.",
                "The key comes from VIGIL_AUDIT_KEY or audit.key.file."})
    static final class Verify implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Option(names = "--checkpoints", paramLabel = "FILE", description = "Checkpoints file (default: audit.checkpoints.file, or vigil-audit-checkpoints).")
        private Path checkpoints;

        @Option(names = "--access-file", paramLabel = "FILE",
                description = "The access file whose public keys check approval signatures (default: http.access.file).")
        private Path accessFile;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ConfigValues config = RemediationKeys.DEFINITION.read(settings.load());
            byte[] key = RemediationKeys.AUDIT_KEY.get(config).getBytes(StandardCharsets.UTF_8);
            Path file = checkpoints != null ? checkpoints : config.get(RemediationKeys.AUDIT_CHECKPOINTS_FILE);
            List<AuditRecord> trail = AuditTopic.readAll(CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config));
            AuditVerifier.Result result = new AuditVerifier(key).verify(trail, AuditTopic.checkpoints(file));
            if (result instanceof AuditVerifier.Result.Intact intact) {
                out.printf("Audit trail intact: %d records, %d checkpoints verified.%n", intact.records(), intact.checkpoints());
                return approvals(trail, config, out);
            }
            AuditVerifier.Result.Broken broken = (AuditVerifier.Result.Broken) result;
            out.printf("Audit trail BROKEN at record %d: %s%n", broken.sequence(), broken.problem());
            return ExitCodes.FAILED;
        }

        private int approvals(List<AuditRecord> trail, ConfigValues config, PrintWriter out) throws Exception {
            Path file = accessFile != null ? accessFile : config.optional(CommonKeys.HTTP_ACCESS_FILE).orElse(null);
            if (file == null) {
                out.println("Approval signatures NOT checked: no access file (--access-file or http.access.file) to take public keys from.");
                return ExitCodes.OK;
            }
            ApprovalTrail.Result result = ApprovalTrail.verify(trail, AccessFileParser.parse(file));
            if (result instanceof ApprovalTrail.Result.Verified verified) {
                out.printf("Approval signatures verified: %d signed%s.%n", verified.signed(),
                        verified.unsigned() == 0 ? "" : ", " + verified.unsigned() + " unsigned (before signing, or approvals.unsigned.allowed)");
                return ExitCodes.OK;
            }
            ApprovalTrail.Result.Bad bad = (ApprovalTrail.Result.Bad) result;
            out.printf("Approval signature BROKEN at record %d: %s%n", bad.sequence(), bad.problem());
            return ExitCodes.FAILED;
        }
    }

    private AuditCommand() {
    }
}
