package dev.vigil.cli;

import java.io.PrintWriter;

import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.RemediationService;
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
}
