package dev.vigil.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.RemediationService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil remediate}: the remediation consumer, until Ctrl-C. */
@Command(name = "remediate", mixinStandardHelpOptions = true,
        description = {"Runs the remediation consumer: alerts -> policy -> guarded, audited actions (dry run unless the",
            "policy says dry_run: false). Needs policy.file and the audit key (VIGIL_AUDIT_KEY or audit.key.file).",
            "Policy language and guards: docs/remediation.md."})
final class RemediateCommand implements Callable<Integer> {

    @Mixin
    private ClientSettings settings;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RemediationConfig config = RemediationConfig.from(settings.load());
        RemediationService service = RemediationService.start(config);
        out.printf("Remediating with %s as %s; audit checkpoints in %s; Ctrl-C stops.%n", config.policyFile(), config.actor(),
                config.checkpointsFile());
        out.flush();
        UntilStopped.await(service, "remediate");
        return ExitCodes.OK;
    }
}
