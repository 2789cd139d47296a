package dev.vigil.remediation.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.vigil.actions.CommandSpec;
import dev.vigil.actions.library.LibraryAction;

/**
 * A validated remediation policy: global guards and the rules, first match wins.
 *
 * @param dryRun         decide and audit, but execute nothing (the default: a policy must say {@code dry_run: false})
 * @param maxHosts       at most this many hosts under remediation at once
 * @param maxFleetShare  and at most this share of the hosts seen (0 to 1)
 * @param approvalTtl    a decision waiting for approval lapses after this long
 * @param commands       the allow-list of the {@code command} executor, by name
 * @param webhooks       the allow-list of the {@code webhook} executor, by name
 * @param library        the allow-list of the {@code library} executor: Vigil's own actions with their settings, by name
 * @param silences       the maintenance windows it declares, published to {@code vigil.silences} at start
 */
public record Policy(boolean dryRun, int maxHosts, double maxFleetShare, Duration approvalTtl, List<Rule> rules,
                     Map<String, CommandSpec> commands, Map<String, WebhookSpec> webhooks, Map<String, LibraryAction> library,
                     List<PolicySilence> silences) {

    public Policy {
        Objects.requireNonNull(approvalTtl, "approvalTtl can't be null");
        rules = List.copyOf(rules);
        commands = Map.copyOf(commands);
        webhooks = Map.copyOf(webhooks);
        library = Map.copyOf(library);
        silences = List.copyOf(silences);
    }

    /** A policy that allow-lists no library action and declares no silence. */
    public Policy(boolean dryRun, int maxHosts, double maxFleetShare, Duration approvalTtl, List<Rule> rules,
                  Map<String, CommandSpec> commands, Map<String, WebhookSpec> webhooks) {
        this(dryRun, maxHosts, maxFleetShare, approvalTtl, rules, commands, webhooks, Map.of(), List.of());
    }
}
