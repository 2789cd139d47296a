package dev.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.vigil.avro.Silence;
import dev.vigil.remediation.OperatorRecords;
import dev.vigil.schemas.SilenceContract;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil silence add|list|expire}: silences (maintenance windows) on {@code vigil.silences}, as the streams
 * application's HTTP API makes them. Alerts a silence covers are marked, still published, and never remediated.
 */
@Command(name = "silence", mixinStandardHelpOptions = true, description = "Silences: maintenance windows for hosts, labels or metrics.",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class})
final class SilenceCommand {

    /** The command line's name for each field of a silence that {@link SilenceContract} may name. */
    private static final Map<String, String> OPTIONS = Map.of("silenceId", "--id", "hosts", "--host", "hostLabels", "--label",
            "metric", "--metric", "startsAt", "--start", "endsAt", "--end / --for", "author", "--as", "reason", "--reason");

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Silences the alerts of some hosts, labels or metrics for a while.")
    static final class Add implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Option(names = "--host", paramLabel = "HOST", description = "A host to silence (repeatable); none: any host.")
        private List<String> hosts = new ArrayList<>();

        @Option(names = "--label", paramLabel = "NAME=VALUE", description = "A host label the host must have (repeatable).")
        private Map<String, String> labels = new LinkedHashMap<>();

        @Option(names = "--metric", paramLabel = "REGEX",
                description = "A regular expression the whole metric name matches; without it, host alerts (HOST, HOST_SILENT) are silenced too.")
        private String metric;

        @Option(names = "--start", paramLabel = "INSTANT", description = "From when, e.g. 2026-12-01T02:00:00Z (default: now).")
        private Instant start;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private End end;

        static final class End {
            @Option(names = "--end", paramLabel = "INSTANT", required = true, description = "Until when, e.g. 2026-12-01T04:00:00Z.")
            private Instant at;

            @Option(names = "--for", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
                    description = "For how long from its start, e.g. 2h.")
            private Duration duration;
        }

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why, for the alerts and the audit trail.")
        private String reason;

        @Mixin
        private ActorOption author;

        @Option(names = "--id", paramLabel = "ID", description = "The silence's id (default: a fresh s-...).")
        private String id;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            Instant starts = start == null ? now : start;
            Silence silence = SilenceContract.create(id, hosts, labels, metric, starts, end.at != null ? end.at : starts.plus(end.duration),
                    author.get(), reason, now);
            try {
                OperatorRecords.checkNew(silence, now); // before the settings are loaded: a bad silence is told without a cluster
                settings.records().addSilence(silence, now);
            } catch (OperatorRecords.SilenceRefused refused) {
                throw new IllegalArgumentException("silence refused: " + OPTIONS.getOrDefault(refused.field(), refused.field()) + ": "
                        + refused.getMessage(), refused);
            }
            spec.commandLine().getOut().printf("Silence %s from %s until %s; `vigil silence expire %s` ends it early.%n",
                    silence.getSilenceId(), silence.getStartsAt(), silence.getEndsAt(), silence.getSilenceId());
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the silences in force and to come.")
    static final class ListSilences implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Option(names = "--all", description = "Ended silences too.")
        private boolean all;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            PrintWriter out = spec.commandLine().getOut();
            List<Silence> shown = settings.records().silences().stream()
                    .filter(silence -> all || !SilenceContract.hasEnded(silence, now)).toList();
            if (shown.isEmpty()) {
                out.println(all ? "No silences." : "No silences in force or to come (--all shows ended ones).");
                return ExitCodes.OK;
            }
            out.printf("%-24s %-8s %-20s %-20s %-12s %s%n", "ID", "STATE", "STARTS", "ENDS", "BY", "COVERS: REASON");
            for (Silence silence : shown) {
                out.printf("%-24s %-8s %-20s %-20s %-12s %s: %s%n", silence.getSilenceId(), state(silence, now),
                        silence.getStartsAt().truncatedTo(ChronoUnit.SECONDS), silence.getEndsAt().truncatedTo(ChronoUnit.SECONDS), silence.getExpiredBy() == null ? silence.getAuthor() : silence.getAuthor() + ", ended by "
                                + silence.getExpiredBy(), covers(silence), silence.getReason());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "Ends a silence now.")
    static final class Expire implements Callable<Integer> {

        @Mixin
        private ClientSettings settings;

        @Parameters(index = "0", paramLabel = "ID", description = "The silence's id, as vigil silence list shows it.")
        private String id;

        @Mixin
        private ActorOption by;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            Silence expired;
            try {
                expired = settings.records().expireSilence(id, by.get(), now);
            } catch (OperatorRecords.SilenceRefused refused) {
                throw new IllegalArgumentException(refused.getMessage() + (refused.field().equals("silenceId") ? " (vigil silence list --all shows them)" : ""),
                        refused);
            }
            spec.commandLine().getOut().printf("Silence %s ended at %s by %s.%n", id, expired.getEndsAt(), expired.getExpiredBy());
            return ExitCodes.OK;
        }
    }

    static String state(Silence silence, Instant now) {
        return SilenceContract.hasEnded(silence, now) ? "ended" : SilenceContract.isActive(silence, now) ? "active" : "pending";
    }

    /** What a silence covers, in a few words. */
    static String covers(Silence silence) {
        List<String> parts = new ArrayList<>();
        if (!silence.getHosts().isEmpty()) {
            parts.add("hosts " + String.join(",", silence.getHosts()));
        }
        if (!silence.getHostLabels().isEmpty()) {
            parts.add("labels " + silence.getHostLabels());
        }
        parts.add(silence.getMetric() == null ? "every alert" : "metric " + silence.getMetric());
        return String.join(", ", parts);
    }
}
