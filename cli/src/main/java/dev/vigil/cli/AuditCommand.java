package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.RemediationKeys;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigValues;
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
                "checkpoints (so a truncated trail is caught). Exit 0: intact; 1: broken, naming the first bad record.",
                "The key comes from VIGIL_AUDIT_KEY or audit.key.file."})
    static final class Verify implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Option(names = "--checkpoints", paramLabel = "FILE", description = "Checkpoints file (default: audit.checkpoints.file, or vigil-audit-checkpoints).")
        private Path checkpoints;

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
                return ExitCodes.OK;
            }
            AuditVerifier.Result.Broken broken = (AuditVerifier.Result.Broken) result;
            out.printf("Audit trail BROKEN at record %d: %s%n", broken.sequence(), broken.problem());
            return ExitCodes.FAILED;
        }
    }

    private AuditCommand() {
    }
}
