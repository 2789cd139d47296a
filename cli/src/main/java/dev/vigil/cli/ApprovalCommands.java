package dev.vigil.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil approve ID} and {@code vigil deny ID}: a person's answer to a remediation waiting for approval. */
final class ApprovalCommands {

    private ApprovalCommands() {
    }

    /** What both commands share: the decision, who answers, and a comment for the audit trail. */
    abstract static class Answer implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Parameters(index = "0", paramLabel = "DECISION_ID", description = "The decision's id, as vigil.remediation.decisions and the audit trail show it.")
        private String decisionId;

        @Mixin
        private ActorOption actor;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the audit trail.")
        private String comment = "";

        @Spec
        private CommandSpec spec;

        abstract boolean approved();

        @Override
        public Integer call() throws Exception {
            // The remediation consumer's file serves: the answer goes to its cluster and registry.
            new OperatorRecords(settings).publish(Topics::remediationApprovals, decisionId,
                    new ApprovalDecision(decisionId, approved(), actor.get(), Instant.now(), comment));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s %s as %s; the remediation consumer acts on it if the decision is still waiting (vigil audit verify shows it).%n",
                    approved() ? "Approved" : "Denied", decisionId, actor.get());
            return ExitCodes.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a remediation that waits for approval.")
    static final class Approve extends Answer {
        @Override
        boolean approved() {
            return true;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Denies a remediation that waits for approval.")
    static final class Deny extends Answer {
        @Override
        boolean approved() {
            return false;
        }
    }
}
