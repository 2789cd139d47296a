package dev.vigil.cli;

import java.time.Instant;
import java.util.concurrent.Callable;

import dev.vigil.avro.HostRetirement;
import dev.vigil.schemas.SilenceContract;
import dev.vigil.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil host retire|reinstate HOST}: a host taken out of service on purpose raises no HOST_SILENT alert when it
 * stops reporting (one already open resolves); a reinstated one is watched again. Recorded on the compacted topic
 * {@code vigil.hosts.retired}, keyed by host, and audited by the remediation consumer.
 */
@Command(name = "host", mixinStandardHelpOptions = true, description = "Hosts taken out of service on purpose, or put back.",
        subcommands = {HostsCommand.Retire.class, HostsCommand.Reinstate.class})
final class HostsCommand {

    /** What both commands share: the host, who, and why. */
    abstract static class Change implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Parameters(index = "0", paramLabel = "HOST", description = "The host id, as its collector reports it.")
        private String host;

        @Mixin
        private ActorOption author;

        @Spec
        private CommandSpec spec;

        abstract boolean retired();

        abstract String reason();

        @Override
        public Integer call() {
            if (host.isBlank() || host.length() > SilenceContract.MAX_NAME) {
                throw new IllegalArgumentException("HOST must be 1 to " + SilenceContract.MAX_NAME + " characters");
            }
            settings.records().publish(Topics::retiredHosts, host,
                    new HostRetirement(host, retired(), author.get(), reason(), Instant.now()));
            spec.commandLine().getOut().printf(retired() ? "Host %s retired: it raises no HOST_SILENT alert when it stops reporting.%n"
                    : "Host %s reinstated: it is watched again.%n", host);
            return ExitCodes.OK;
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true, description = "Retires a host: no HOST_SILENT alert when it stops reporting.")
    static final class Retire extends Change {

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why, for the audit trail.")
        private String reason;

        @Override
        boolean retired() {
            return true;
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "reinstate", mixinStandardHelpOptions = true, description = "Puts a retired host back: it is watched again.")
    static final class Reinstate extends Change {

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
        private String reason = "";

        @Override
        boolean retired() {
            return false;
        }

        @Override
        String reason() {
            return reason;
        }
    }
}
