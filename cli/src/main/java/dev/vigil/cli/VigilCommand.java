package dev.vigil.cli;

import picocli.CommandLine.Command;

/** The top-level {@code vigil} command; each capability is a subcommand. */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Fleet monitoring and self-healing on Kafka.",
        subcommands = {DevCommand.class, StackCommand.class, TopicsCommand.class, CollectCommand.class, GatewayCommand.class, StreamsCommand.class, SinkCommand.class, RemediateCommand.class, ConsoleCommand.class, ApprovalCommands.Approve.class,
            ApprovalCommands.Deny.class, AuditCommand.class, SilenceCommand.class, HostsCommand.class, TokenCommand.class, UserCommand.class, KeysCommand.class, SimulateCommand.class, EvalCommand.class, BenchCommand.class})
final class VigilCommand {
}
