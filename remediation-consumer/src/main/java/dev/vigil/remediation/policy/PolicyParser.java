package dev.vigil.remediation.policy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.vigil.actions.CommandSpec;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.Severity;
import dev.vigil.remediation.executors.ExecutorTypes;
import dev.vigil.runtime.config.Durations;

/**
 * Reads a policy file (YAML) and validates all of it before anything runs: unknown keys, wrong types, bad
 * durations, patterns and templates, duplicate rule names, unknown executors, and actions their executor refuses
 * ({@link dev.vigil.remediation.executors.ExecutorType#refusal}: a command or webhook not allow-listed ...). Every
 * problem is a {@link PolicyException} naming the line. docs/remediation.md describes the language.
 *
 * <p>It reads the YAML as a node tree, never as objects, so a policy cannot make the parser construct
 * anything, and every value keeps its line.
 */
public final class PolicyParser {

    private static final Set<String> TOP = Set.of("dry_run", "fleet", "approval_ttl", "commands", "webhooks", "rules");
    private static final Set<String> WEBHOOK = Set.of("url", "timeout", "retries");
    private static final Set<String> COMMAND = Set.of("executable", "args", "timeout");
    private static final Set<String> FLEET = Set.of("max_hosts", "max_share");
    private static final Set<String> RULE = Set.of("name", "match", "action", "cooldown", "target_cooldown", "rate_limit",
            "max_attempts", "approval");
    private static final Set<String> MATCH = Set.of("metric", "host_labels", "severity", "min_duration", "scope", "kind");
    private static final Set<String> ACTION = Set.of("executor", "name", "parameters");
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s+per\\s+(\\S+)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private PolicyParser() {
    }

    public static Policy parse(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A policy whose rules name Vigil's executors ({@link ExecutorTypes#STANDARD}). */
    public static Policy parse(String yaml) {
        return parse(yaml, ExecutorTypes.STANDARD);
    }

    /** A policy whose rules name {@code executors}, each of which checks the actions given to it. */
    public static Policy parse(String yaml, ExecutorTypes executors) {
        Node root;
        try (Reader reader = new StringReader(yaml)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new PolicyException(e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1, "not valid YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new PolicyException(1, "cannot be read: " + e.getMessage());
        }
        if (root == null) {
            throw new PolicyException(1, "the policy is empty; it needs at least 'rules'");
        }
        Map<String, Node> top = mapping(root, TOP, "the policy");
        boolean dryRun = top.containsKey("dry_run") ? bool(top.get("dry_run")) : true;
        int maxHosts = Integer.MAX_VALUE;
        double maxShare = 1.0;
        if (top.containsKey("fleet")) {
            Map<String, Node> fleet = mapping(top.get("fleet"), FLEET, "fleet");
            if (fleet.containsKey("max_hosts")) {
                maxHosts = integer(fleet.get("max_hosts"), 1, 1_000_000);
            }
            if (fleet.containsKey("max_share")) {
                maxShare = decimal(fleet.get("max_share"), 0.0001, 1.0);
            }
        }
        Duration approvalTtl = top.containsKey("approval_ttl") ? duration(top.get("approval_ttl")) : Duration.ofMinutes(30);
        if (!top.containsKey("rules")) {
            throw new PolicyException(line(root), "'rules' is missing");
        }
        if (!(top.get("rules") instanceof SequenceNode sequence)) {
            throw new PolicyException(line(top.get("rules")), "'rules' must be a list");
        }
        Map<String, CommandSpec> commands = new LinkedHashMap<>();
        if (top.containsKey("commands")) {
            if (!(top.get("commands") instanceof MappingNode commandNodes)) {
                throw new PolicyException(line(top.get("commands")), "'commands' must be a mapping of names to commands");
            }
            for (NodeTuple tuple : commandNodes.getValue()) {
                CommandSpec command = command(scalar(tuple.getKeyNode()), tuple.getValueNode());
                commands.put(command.name(), command);
            }
        }
        Map<String, WebhookSpec> webhooks = new LinkedHashMap<>();
        if (top.containsKey("webhooks")) {
            if (!(top.get("webhooks") instanceof MappingNode webhookNodes)) {
                throw new PolicyException(line(top.get("webhooks")), "'webhooks' must be a mapping of names to webhooks");
            }
            for (NodeTuple tuple : webhookNodes.getValue()) {
                WebhookSpec webhook = webhook(scalar(tuple.getKeyNode()), tuple.getValueNode());
                webhooks.put(webhook.name(), webhook);
            }
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node node : sequence.getValue()) {
            Rule rule = rule(node, executors);
            if (!names.add(rule.name())) {
                throw new PolicyException(rule.line(), "a rule named '" + rule.name() + "' exists already");
            }
            rules.add(rule);
        }
        Policy policy = new Policy(dryRun, maxHosts, maxShare, approvalTtl, rules, commands, webhooks);
        for (Rule rule : rules) {
            // Each executor judges the actions given to it, against the allow-lists above.
            executors.named(rule.action().executor()).flatMap(executor -> executor.refusal(rule, policy)).ifPresent(refusal -> {
                throw new PolicyException(rule.line(), refusal);
            });
        }
        return policy;
    }

    private static WebhookSpec webhook(String name, Node node) {
        Map<String, Node> webhook = mapping(node, WEBHOOK, "webhook '" + name + "'");
        String url = required(webhook, "url", node);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(line(webhook.get("url")), "webhook '" + name + "': '" + url + "' is not a URL");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw new PolicyException(line(webhook.get("url")), "webhook '" + name + "': url must be http(s)://host/... with no credentials in it");
        }
        return new WebhookSpec(name, uri,
                webhook.containsKey("timeout") ? duration(webhook.get("timeout")) : Duration.ofSeconds(10),
                webhook.containsKey("retries") ? integer(webhook.get("retries"), 0, 10) : 3);
    }

    private static CommandSpec command(String name, Node node) {
        Map<String, Node> command = mapping(node, COMMAND, "command '" + name + "'");
        if (!NAME.matcher(name).matches()) {
            throw new PolicyException(line(node), "command name '" + name + "' must be lower-case letters, digits, _ . -");
        }
        Path executable = Path.of(required(command, "executable", node));
        if (!executable.isAbsolute() || !Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new PolicyException(line(command.get("executable")), "command '" + name + "': executable " + executable
                    + " must be an absolute path to an executable file");
        }
        List<String> args = new ArrayList<>();
        if (command.containsKey("args")) {
            if (!(command.get("args") instanceof SequenceNode argNodes)) {
                throw new PolicyException(line(command.get("args")), "command '" + name + "': args must be a list");
            }
            argNodes.getValue().forEach(arg -> args.add(scalar(arg)));
        }
        Duration timeout = command.containsKey("timeout") ? duration(command.get("timeout")) : Duration.ofSeconds(30);
        return new CommandSpec(name, executable, args, timeout);
    }

    private static Rule rule(Node node, ExecutorTypes executors) {
        Map<String, Node> rule = mapping(node, RULE, "a rule");
        String name = required(rule, "name", node);
        if (!NAME.matcher(name).matches()) {
            throw new PolicyException(line(rule.get("name")), "rule name '" + name + "' must be lower-case letters, digits, _ . - (up to 64)");
        }
        if (!rule.containsKey("action")) {
            throw new PolicyException(line(node), "rule '" + name + "' has no 'action'");
        }
        AlertMatch match = rule.containsKey("match") ? match(rule.get("match")) : AlertMatch.ANY;
        ActionSpec action = action(rule.get("action"), executors);
        int rateLimit = Integer.MAX_VALUE;
        Duration rateWindow = Duration.ofHours(1);
        if (rule.containsKey("rate_limit")) {
            Matcher rate = RATE.matcher(scalar(rule.get("rate_limit")));
            if (!rate.matches()) {
                throw new PolicyException(line(rule.get("rate_limit")), "rate_limit must read 'N per DURATION', e.g. '5 per 1h'");
            }
            rateLimit = Integer.parseInt(rate.group(1));
            rateWindow = duration(rule.get("rate_limit"), rate.group(2));
        }
        return new Rule(name, match, action,
                rule.containsKey("cooldown") ? duration(rule.get("cooldown")) : Duration.ZERO,
                rule.containsKey("target_cooldown") ? duration(rule.get("target_cooldown")) : Duration.ofMinutes(10),
                rateLimit, rateWindow,
                rule.containsKey("max_attempts") ? integer(rule.get("max_attempts"), 1, 1000) : 3,
                rule.containsKey("approval") && bool(rule.get("approval")),
                line(node));
    }

    private static AlertMatch match(Node node) {
        Map<String, Node> match = mapping(node, MATCH, "match");
        Optional<Pattern> metric = Optional.empty();
        if (match.containsKey("metric")) {
            try {
                metric = Optional.of(Pattern.compile(scalar(match.get("metric"))));
            } catch (PatternSyntaxException e) {
                throw new PolicyException(line(match.get("metric")), "metric is not a valid pattern: " + e.getDescription());
            }
        }
        Map<String, String> hostLabels = match.containsKey("host_labels") ? strings(match.get("host_labels"), "host_labels") : Map.of();
        Severity severity = match.containsKey("severity") ? symbol(match.get("severity"), Severity.class) : Severity.INFO;
        Duration minDuration = match.containsKey("min_duration") ? duration(match.get("min_duration")) : Duration.ZERO;
        Optional<AlertScope> scope = match.containsKey("scope") ? Optional.of(symbol(match.get("scope"), AlertScope.class)) : Optional.empty();
        Optional<AlertKind> kind = match.containsKey("kind") ? Optional.of(symbol(match.get("kind"), AlertKind.class)) : Optional.empty();
        return new AlertMatch(metric, hostLabels, severity, minDuration, scope, kind);
    }

    private static ActionSpec action(Node node, ExecutorTypes executors) {
        Map<String, Node> action = mapping(node, ACTION, "action");
        String executor = required(action, "executor", node);
        if (executors.named(executor).isEmpty()) {
            throw new PolicyException(line(action.get("executor")), "unknown executor '" + executor + "'; known: " + executors.names());
        }
        String name = required(action, "name", node);
        if (!NAME.matcher(name).matches()) {
            throw new PolicyException(line(action.get("name")), "action name '" + name + "' must be lower-case letters, digits, _ . -");
        }
        Map<String, String> parameters = action.containsKey("parameters") ? strings(action.get("parameters"), "parameters") : Map.of();
        String unknown = ActionSpec.unknownField(parameters);
        if (unknown != null) {
            throw new PolicyException(line(action.get("parameters")), "parameters name an unknown alert field " + unknown
                    + "; known: {{host_id}}, {{metric}}, {{alert_id}}, {{fingerprint}}, {{severity}}, {{label.NAME}}, {{host_label.NAME}}");
        }
        return new ActionSpec(executor, name, parameters);
    }

    private static Map<String, Node> mapping(Node node, Set<String> allowed, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw new PolicyException(line(node), what + " must be a mapping of keys to values");
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode());
            if (!allowed.contains(key)) {
                throw new PolicyException(line(tuple.getKeyNode()), "unknown key '" + key + "' in " + what + "; known: "
                        + allowed.stream().sorted().toList());
            }
            if (entries.put(key, tuple.getValueNode()) != null) {
                throw new PolicyException(line(tuple.getKeyNode()), "'" + key + "' is given twice in " + what);
            }
        }
        return entries;
    }

    private static Map<String, String> strings(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw new PolicyException(line(node), what + " must be a mapping of names to values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            values.put(scalar(tuple.getKeyNode()), scalar(tuple.getValueNode()));
        }
        return values;
    }

    private static String required(Map<String, Node> entries, String key, Node parent) {
        if (!entries.containsKey(key)) {
            throw new PolicyException(line(parent), "'" + key + "' is missing");
        }
        return scalar(entries.get(key));
    }

    private static String scalar(Node node) {
        if (!(node instanceof ScalarNode scalar)) {
            throw new PolicyException(line(node), "expected a single value here");
        }
        return scalar.getValue();
    }

    private static boolean bool(Node node) {
        String value = scalar(node);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new PolicyException(line(node), "expected true or false, got '" + value + "'");
        };
    }

    private static int integer(Node node, int min, int max) {
        String value = scalar(node);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new PolicyException(line(node), "expected a whole number from " + min + " to " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new PolicyException(line(node), "expected a whole number, got '" + value + "'");
        }
    }

    private static double decimal(Node node, double min, double max) {
        String value = scalar(node);
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= min && parsed <= max)) {
                throw new PolicyException(line(node), "expected a number from " + min + " to " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new PolicyException(line(node), "expected a number, got '" + value + "'");
        }
    }

    private static Duration duration(Node node) {
        return duration(node, scalar(node));
    }

    private static Duration duration(Node node, String text) {
        try {
            Duration duration = Durations.parse(text);
            if (duration.isNegative()) {
                throw new PolicyException(line(node), "a duration must not be negative, got '" + text + "'");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new PolicyException(line(node), "expected a duration such as 30s, 10m or 1h, got '" + text + "'");
        }
    }

    private static <E extends Enum<E>> E symbol(Node node, Class<E> type) {
        String value = scalar(node);
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(line(node), "unknown " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " '" + value
                    + "'; known: " + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
        }
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
