package dev.vigil.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.remediation.approvals.ApprovalSignatures;
import dev.vigil.runtime.security.SigningKeys;
import dev.vigil.schemas.SilenceContract;
import dev.vigil.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil approve ID} and {@code vigil deny ID}: a person's answer to a remediation waiting for approval, signed with
 * their Ed25519 key ({@code vigil keys generate}); the remediation consumer checks it with their {@code public_key} in the
 * access file (docs/security.md#signed-approvals).
 */
final class ApprovalCommands {

    /** Longest validity: an approval is an answer to a decision waiting now, not a standing permission. */
    static final Duration MAX_VALIDITY = Duration.ofHours(24);

    private ApprovalCommands() {
    }

    /** What both commands share: the decision, who answers with which key, and a comment for the audit trail. */
    abstract static class Answer implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Parameters(index = "0", paramLabel = "DECISION_ID", description = "The decision's id, as vigil.remediation.decisions and the audit trail show it.")
        private String decisionId;

        @Option(names = "--key-file", required = true, paramLabel = "FILE",
                description = "Your Ed25519 private key (vigil keys generate), readable by you only.")
        private Path keyFile;

        @Option(names = "--as", paramLabel = "NAME",
                description = "Your user name in the access file (default: the key file's name without .key).")
        private String name;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the audit trail.")
        private String comment = "";

        @Option(names = "--valid-for", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Refused by the consumer after this long (default 10m, at most 24h).")
        private Duration validFor = Duration.ofMinutes(10);

        @Spec
        private CommandSpec spec;

        abstract boolean approved();

        @Override
        public Integer call() throws Exception {
            String actor = actor();
            if (validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_VALIDITY) > 0) {
                throw new IllegalArgumentException("--valid-for: between 1s and " + MAX_VALIDITY.toHours() + "h, not " + validFor);
            }
            PrivateKey key;
            try {
                key = SigningKeys.readPrivate(keyFile);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e); // the file named, said in one line
            }
            Instant now = Instant.now();
            ApprovalDecision answer = ApprovalSignatures.sign(decisionId, approved(), actor, comment, now, now.plus(validFor), actor, key);
            // The remediation consumer's file serves: the answer goes to its cluster and registry.
            settings.records().publish(Topics::remediationApprovals, decisionId, answer);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s %s as %s, signed, valid until %s; the remediation consumer acts on it if the decision is still waiting and "
                    + "%s may approve it (vigil audit verify shows it).%n", approved() ? "Approved" : "Denied", decisionId, actor,
                    answer.getExpiresAt(), actor);
            return ExitCodes.OK;
        }

        private String actor() {
            String chosen = name;
            if (chosen == null) {
                String file = keyFile.getFileName().toString();
                chosen = file.endsWith(".key") ? file.substring(0, file.length() - 4) : System.getProperty("user.name");
            }
            if (chosen == null || chosen.isBlank() || chosen.length() > SilenceContract.MAX_NAME) {
                throw new IllegalArgumentException("--as: say who you are, in 1 to " + SilenceContract.MAX_NAME + " characters");
            }
            return chosen;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a remediation that waits for approval, signed with your key.")
    static final class Approve extends Answer {
        @Override
        boolean approved() {
            return true;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Denies a remediation that waits for approval, signed with your key.")
    static final class Deny extends Answer {
        @Override
        boolean approved() {
            return false;
        }
    }
}
