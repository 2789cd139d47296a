package dev.vigil.remediation.executors;

import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.actions.ActionLimits;
import dev.vigil.actions.CommandExecutor;
import dev.vigil.actions.Confinement;
import dev.vigil.actions.CommandSpec;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;

/**
 * {@code command}: runs a command of the policy's {@code commands} allow-list on the consumer's own machine, without
 * a shell and confined to its limits ({@link CommandExecutor}). A rule may name only an allow-listed command and must
 * give every parameter its argument templates use; a command that asks for a systemd scope needs systemd here.
 */
final class CommandExecutorType implements ExecutorType {

    private static final Logger log = LoggerFactory.getLogger(CommandExecutorType.class);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    @Override
    public String name() {
        return "command";
    }

    @Override
    public Optional<String> refusal(Rule rule, Policy policy) {
        CommandSpec command = policy.commands().get(rule.action().name());
        if (command == null) {
            return Optional.of("rule '" + rule.name() + "' runs command '" + rule.action().name()
                    + "', which 'commands' does not allow-list; allowed: " + new TreeSet<>(policy.commands().keySet()));
        }
        if (command.limits().systemdScope() && !Confinement.systemdIsServiceManager()) {
            return Optional.of("rule '" + rule.name() + "' runs command '" + command.name() + "' with systemd_scope: true, but systemd is not the "
                    + "service manager here (/run/systemd/system is absent)");
        }
        for (String arg : command.args()) {
            Matcher placeholder = PLACEHOLDER.matcher(arg);
            while (placeholder.find()) {
                if (!rule.action().parameters().containsKey(placeholder.group(1))) {
                    return Optional.of("rule '" + rule.name() + "' gives no parameter '" + placeholder.group(1)
                            + "', which command '" + command.name() + "' needs");
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public ActionRunner start(Policy policy, ExecutorResources resources) {
        CommandExecutor commands = new CommandExecutor();
        commands.confinement().refusal(ActionLimits.DEFAULTS).ifPresent(problem -> {
            throw new IllegalStateException("the command executor cannot run: " + problem);
        });
        log.info("Commands are confined by {}", commands.confinement().describe());
        return request -> commands.run(policy.commands().get(request.rule().action().name()), request.parameters());
    }
}
