package dev.vigil.remediation.policy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

import dev.vigil.actions.ActionLimits;
import dev.vigil.actions.ActionSettingException;
import dev.vigil.actions.ActionSettings;
import dev.vigil.actions.CommandSpec;
import dev.vigil.actions.library.ActionLibrary;
import dev.vigil.actions.library.LibraryAction;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.Severity;
import dev.vigil.remediation.executors.ExecutorTypes;
import dev.vigil.runtime.config.Durations;
import dev.vigil.schemas.SilenceContract;

/**
 * Reads a policy file (YAML) and validates all of it before anything runs: unknown keys, wrong types, bad
 * durations, patterns and templates, duplicate rule names, unknown executors, silences that break the silence contract
 * (no end, no author ...), and actions their executor refuses
 * ({@link dev.vigil.remediation.executors.ExecutorType#refusal}: a command or webhook not allow-listed ...), a rule's
 * undo and escalation included, and verification keys ({@code verify_within} more than zero, the keys that need it).
 * Every problem is a {@link PolicyException} naming the line. docs/remediation.md describes the language.
 *
 * <p>It reads the YAML as a node tree, never as objects, so a policy cannot make the parser construct
 * anything, and every value keeps its line.
 */
public final class PolicyParser {

    private static final Set<String> TOP = Set.of("dry_run", "fleet", "approval_ttl", "commands", "webhooks", "library", "rules",
            "silences");
    private static final Set<String> WEBHOOK = Set.of("url", "timeout", "retries");
    private static final Set<String> COMMAND = Set.of("executable", "args", "timeout", "limits");
    private static final Set<String> FLEET = Set.of("max_hosts", "max_share");
    private static final Set<String> RULE = Set.of("name", "match", "action", "cooldown", "target_cooldown", "rate_limit",
            "max_attempts", "approval", "verify_within", "verify_metric", "verify_samples", "undo", "escalate");
    /** The rule keys that say what follows a verification, and mean nothing without {@code verify_within}. */
    private static final List<String> AFTER_VERIFY = List.of("verify_metric", "verify_samples", "undo", "escalate");
    /** The executor an escalation goes through: escalations are webhooks of the {@code webhooks} allow-list. */
    private static final String ESCALATION_EXECUTOR = "webhook";
    private static final Set<String> MATCH = Set.of("metric", "host_labels", "severity", "min_duration", "scope", "kind");
    private static final Set<String> ACTION = Set.of("executor", "name", "parameters");
    private static final Set<String> SILENCE = Set.of("name", "hosts", "host_labels", "metric", "starts", "ends", "author", "reason");
    /** The policy's key for each field of a silence that {@link SilenceContract} may name. */
    private static final Map<String, String> SILENCE_KEYS = Map.of("silenceId", "name", "hosts", "hosts", "hostLabels", "host_labels",
            "metric", "metric", "endsAt", "ends", "author", "author", "reason", "reason");
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s+per\\s+(\\S+)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern METRIC = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,199}");

    /** An action of a rule, to be judged by its executor once the allow-lists are known: where it is, and what it is to the rule. */
    private record Judgement(Rule rule, int line, String role) {
    }

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
        Map<String, LibraryAction> library = new LinkedHashMap<>();
        if (top.containsKey("library")) {
            if (!(top.get("library") instanceof MappingNode libraryNodes)) {
                throw new PolicyException(line(top.get("library")), "'library' must be a mapping of names to library actions");
            }
            for (NodeTuple tuple : libraryNodes.getValue()) {
                String name = scalar(tuple.getKeyNode());
                library.put(name, libraryAction(name, tuple.getValueNode()));
            }
        }
        List<Rule> rules = new ArrayList<>();
        List<Judgement> judgements = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node node : sequence.getValue()) {
            Rule rule = rule(node, executors, judgements);
            if (!names.add(rule.name())) {
                throw new PolicyException(rule.line(), "a rule named '" + rule.name() + "' exists already");
            }
            rules.add(rule);
        }
        List<PolicySilence> silences = new ArrayList<>();
        if (top.containsKey("silences")) {
            if (!(top.get("silences") instanceof SequenceNode silenceNodes)) {
                throw new PolicyException(line(top.get("silences")), "'silences' must be a list");
            }
            Set<String> silenceNames = new HashSet<>();
            for (Node node : silenceNodes.getValue()) {
                PolicySilence silence = silence(node);
                if (!silenceNames.add(silence.name())) {
                    throw new PolicyException(silence.line(), "a silence named '" + silence.name() + "' exists already");
                }
                silences.add(silence);
            }
        }
        Policy policy = new Policy(dryRun, maxHosts, maxShare, approvalTtl, rules, commands, webhooks, library, silences);
        for (Judgement judgement : judgements) {
            // Each executor judges the actions given to it (a rule's action, its undo, its escalation) against the allow-lists above.
            Rule rule = judgement.rule();
            executors.named(rule.action().executor()).flatMap(executor -> executor.refusal(rule, policy)).ifPresent(refusal -> {
                throw new PolicyException(judgement.line(), judgement.role() + refusal);
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
        ActionLimits limits = ActionLimits.DEFAULTS;
        if (command.containsKey("limits")) {
            Written written = settings(command.get("limits"), "the limits of command '" + name + "'");
            try {
                limits = ActionLimits.from(written.settings());
            } catch (ActionSettingException e) {
                throw written.refusal(e);
            }
        }
        return new CommandSpec(name, executable, args, timeout, limits);
    }

    /** An action of the library ({@code kind} and its settings), checked whole. */
    private static LibraryAction libraryAction(String name, Node node) {
        if (!NAME.matcher(name).matches()) {
            throw new PolicyException(line(node), "library action name '" + name + "' must be lower-case letters, digits, _ . -");
        }
        Written written = settings(node, "library action '" + name + "'");
        Node kind = written.nodes().get("kind");
        if (kind == null) {
            throw new PolicyException(line(node), "library action '" + name + "' has no 'kind'; kinds: " + ActionLibrary.kinds());
        }
        Written settings = written.without("kind", "library action '" + name + "' (" + scalar(kind) + ")");
        try {
            return ActionLibrary.define(scalar(kind), settings.settings());
        } catch (ActionSettingException e) {
            throw settings.refusal(e);
        }
    }

    /** Settings as written: each key's value (a text or a list of texts) and its node, for the line of a refusal. */
    private record Written(String what, Map<String, Object> values, Map<String, Node> nodes, Node node) {

        ActionSettings settings() {
            return new ActionSettings(what, values);
        }

        /** The settings without {@code key}'s value (its node still names its line), called {@code what}. */
        Written without(String key, String what) {
            Map<String, Object> rest = new LinkedHashMap<>(values);
            rest.remove(key);
            return new Written(what, rest, nodes, node);
        }

        /** {@code e} as a policy error on the line of the key at fault, or of the settings as a whole. */
        PolicyException refusal(ActionSettingException e) {
            return new PolicyException(line(e.key() != null && nodes.containsKey(e.key()) ? nodes.get(e.key()) : node), e.getMessage());
        }
    }

    private static Written settings(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw new PolicyException(line(node), what + " must be a mapping of keys to values");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode());
            Node value = tuple.getValueNode();
            if (nodes.put(key, value) != null) {
                throw new PolicyException(line(tuple.getKeyNode()), "'" + key + "' is given twice in " + what);
            }
            if (value instanceof SequenceNode items) {
                values.put(key, items.getValue().stream().map(PolicyParser::scalar).toList());
            } else {
                values.put(key, scalar(value));
            }
        }
        return new Written(what, values, nodes, node);
    }

    private static Rule rule(Node node, ExecutorTypes executors, List<Judgement> judgements) {
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
        Rule parsed = new Rule(name, match, action,
                rule.containsKey("cooldown") ? duration(rule.get("cooldown")) : Duration.ZERO,
                rule.containsKey("target_cooldown") ? duration(rule.get("target_cooldown")) : Duration.ofMinutes(10),
                rateLimit, rateWindow,
                rule.containsKey("max_attempts") ? integer(rule.get("max_attempts"), 1, 1000) : 3,
                rule.containsKey("approval") && bool(rule.get("approval")),
                verification(rule, name, executors),
                line(node));
        judgements.add(new Judgement(parsed, parsed.line(), ""));
        parsed.verification().ifPresent(verification -> {
            verification.undo().ifPresent(undo -> judgements.add(new Judgement(parsed.withAction(undo), line(rule.get("undo")), "undo: ")));
            verification.escalation().ifPresent(escalation -> judgements.add(new Judgement(parsed.withAction(escalation),
                    line(rule.get("escalate")), "escalate: ")));
        });
        return parsed;
    }

    /** {@code verify_within} and what goes with it; the keys that follow a verification need one. */
    private static Optional<Verification> verification(Map<String, Node> rule, String name, ExecutorTypes executors) {
        if (!rule.containsKey("verify_within")) {
            for (String key : AFTER_VERIFY) {
                if (rule.containsKey(key)) {
                    throw new PolicyException(line(rule.get(key)), "rule '" + name + "' gives '" + key + "' but no 'verify_within': "
                            + "it takes effect only when a verification judges the action");
                }
            }
            return Optional.empty();
        }
        Duration within = duration(rule.get("verify_within"));
        if (within.isZero()) {
            throw new PolicyException(line(rule.get("verify_within")), "verify_within must be longer than zero: it is how long the action "
                    + "has to show it helped");
        }
        Optional<String> metric = Optional.empty();
        if (rule.containsKey("verify_metric")) {
            String value = scalar(rule.get("verify_metric"));
            if (!METRIC.matcher(value).matches()) {
                throw new PolicyException(line(rule.get("verify_metric")), "verify_metric must be a metric name (letters, digits, _ . : -), got '"
                        + value + "'");
            }
            metric = Optional.of(value);
        } else if (rule.containsKey("verify_samples")) {
            throw new PolicyException(line(rule.get("verify_samples")), "verify_samples counts scores of the verify_metric, which rule '" + name
                    + "' does not give");
        }
        int samples = rule.containsKey("verify_samples") ? integer(rule.get("verify_samples"), 1, 100) : 3;
        Optional<ActionSpec> undo = rule.containsKey("undo") ? Optional.of(action(rule.get("undo"), executors)) : Optional.empty();
        Optional<ActionSpec> escalation = Optional.empty();
        if (rule.containsKey("escalate")) {
            String webhook = scalar(rule.get("escalate"));
            if (executors.named(ESCALATION_EXECUTOR).isEmpty()) {
                throw new PolicyException(line(rule.get("escalate")), "escalate calls a webhook, but there is no '" + ESCALATION_EXECUTOR
                        + "' executor; known: " + executors.names());
            }
            escalation = Optional.of(new ActionSpec(ESCALATION_EXECUTOR, webhook, Map.of()));
        }
        return Optional.of(new Verification(within, metric, samples, undo, escalation));
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

    /** A maintenance window: checked as {@link SilenceContract} checks every silence, each problem on its key's line. */
    private static PolicySilence silence(Node node) {
        Map<String, Node> silence = mapping(node, SILENCE, "a silence");
        String name = required(silence, "name", node);
        if (!NAME.matcher(name).matches()) {
            throw new PolicyException(line(silence.get("name")), "silence name '" + name + "' must be lower-case letters, digits, _ . - (up to 64)");
        }
        for (String key : List.of("ends", "author", "reason")) {
            if (!silence.containsKey(key)) {
                throw new PolicyException(line(node), "silence '" + name + "' has no '" + key + "': " + switch (key) {
                    case "ends" -> "a silence must end";
                    case "author" -> "a silence must name who made it";
                    default -> "a silence must say why";
                });
            }
        }
        List<String> hosts = new ArrayList<>();
        if (silence.containsKey("hosts")) {
            if (!(silence.get("hosts") instanceof SequenceNode hostNodes)) {
                throw new PolicyException(line(silence.get("hosts")), "silence '" + name + "': hosts must be a list");
            }
            hostNodes.getValue().forEach(host -> hosts.add(scalar(host)));
        }
        Map<String, String> hostLabels = silence.containsKey("host_labels") ? strings(silence.get("host_labels"), "host_labels") : Map.of();
        Optional<String> metric = silence.containsKey("metric") ? Optional.of(scalar(silence.get("metric"))) : Optional.empty();
        Optional<Instant> starts = silence.containsKey("starts") ? Optional.of(instant(silence.get("starts"))) : Optional.empty();
        PolicySilence declared = new PolicySilence(name, hosts, hostLabels, metric, starts, instant(silence.get("ends")),
                scalar(silence.get("author")), scalar(silence.get("reason")), line(node));
        List<SilenceContract.Problem> problems = SilenceContract.problems(declared.toSilence(starts.orElse(Instant.EPOCH)));
        if (!problems.isEmpty()) {
            String key = SILENCE_KEYS.getOrDefault(problems.get(0).field(), problems.get(0).field());
            throw new PolicyException(line(silence.getOrDefault(key, node)), "silence '" + name + "': " + key + ": " + problems.get(0).message());
        }
        return declared;
    }

    private static Instant instant(Node node) {
        String text = scalar(node);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new PolicyException(line(node), "expected an instant such as 2026-12-01T02:00:00Z, got '" + text + "'");
        }
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
