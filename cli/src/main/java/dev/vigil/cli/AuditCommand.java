package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.runtime.config.ConfigSource;
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
            ConfigSource config = settings.load();
            byte[] key = RemediationConfig.secret(config, "audit.key");
            Path file = checkpoints != null ? checkpoints : Path.of(config.string("audit.checkpoints.file", "vigil-audit-checkpoints"));
            List<AuditRecord> trail = AuditTopic.readAll(config.kafkaClient(), config.schemaRegistry());
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
