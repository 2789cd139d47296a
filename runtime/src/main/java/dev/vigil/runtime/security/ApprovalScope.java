package dev.vigil.runtime.security;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an approver may approve: rules whose name matches one of {@code rules} (glob patterns, {@code *} for any
 * run of characters) on hosts carrying every label of {@code hostLabels}. Empty lists and maps do not limit.
 * Checked by signed approvals (issue 18, part 3); carried here so the access file defines it once.
 */
public record ApprovalScope(List<String> rules, Map<String, String> hostLabels) {

    public static final ApprovalScope UNLIMITED = new ApprovalScope(List.of(), Map.of());

    public ApprovalScope {
        rules = List.copyOf(rules);
        hostLabels = Map.copyOf(hostLabels);
    }

    /** Whether a decision of rule {@code rule} on a host with {@code labels} is within this scope. */
    public boolean covers(String rule, Map<String, String> labels) {
        boolean ruleMatches = rules.isEmpty() || rules.stream().anyMatch(pattern -> glob(pattern).matcher(rule).matches());
        boolean labelsMatch = hostLabels.entrySet().stream().allMatch(label -> label.getValue().equals(labels.get(label.getKey())));
        return ruleMatches && labelsMatch;
    }

    private static Pattern glob(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }
}
