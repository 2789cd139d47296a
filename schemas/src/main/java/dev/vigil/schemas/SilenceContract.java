package dev.vigil.schemas;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.vigil.avro.Silence;

/**
 * What a {@link Silence} on {@code vigil.silences} must be, and which alerts it covers: the one definition every
 * writer (the {@code vigil silence} command, the streams application's HTTP API, the remediation consumer's policy
 * silences) checks before publishing, and the streams application applies. docs/alerts.md states the same rules.
 *
 * <p>A silence always has an end, an author and a reason, and names at least one of hosts, host labels or a metric
 * pattern: a silence of everything would switch alerting off unseen. It is never edited, only ended early, which is a
 * new version of it ({@link #expired}).
 */
public final class SilenceContract {

    /** Longest silence id, author and host id, in characters. */
    public static final int MAX_NAME = 128;
    /** Longest reason, in characters. */
    public static final int MAX_REASON = 1024;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_NAME - 1) + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SilenceContract() {
    }

    /** One thing wrong with a silence: the field (as the Avro record names it) and what is wrong with it. */
    public record Problem(String field, String message) {

        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /** Everything wrong with {@code silence}, field by field; empty when it may be published. */
    public static List<Problem> problems(Silence silence) {
        List<Problem> problems = new ArrayList<>();
        if (!ID.matcher(silence.getSilenceId()).matches()) {
            problems.add(new Problem("silenceId", "'" + silence.getSilenceId() + "' is not an id: letters, digits and . _ : - (up to "
                    + MAX_NAME + "), starting with a letter or digit"));
        }
        for (String host : silence.getHosts()) {
            if (host.isBlank() || host.length() > MAX_NAME) {
                problems.add(new Problem("hosts", "a host id must be 1 to " + MAX_NAME + " characters, not blank"));
                break;
            }
        }
        for (Map.Entry<String, String> label : silence.getHostLabels().entrySet()) {
            if (label.getKey().isBlank()) {
                problems.add(new Problem("hostLabels", "a label name must not be blank"));
                break;
            }
        }
        if (silence.getMetric() != null) {
            try {
                Pattern.compile(silence.getMetric());
            } catch (PatternSyntaxException e) {
                problems.add(new Problem("metric", "'" + silence.getMetric() + "' is not a regular expression: " + e.getDescription()));
            }
        }
        if (silence.getHosts().isEmpty() && silence.getHostLabels().isEmpty() && silence.getMetric() == null) {
            problems.add(new Problem("hosts", "a silence must name hosts, host labels or a metric pattern; it would silence everything"));
        }
        if (silence.getEndsAt().isBefore(silence.getStartsAt())) {
            problems.add(new Problem("endsAt", "ends (" + silence.getEndsAt() + ") before it starts (" + silence.getStartsAt() + ")"));
        }
        if (silence.getAuthor().isBlank() || silence.getAuthor().length() > MAX_NAME) {
            problems.add(new Problem("author", "who creates a silence must be named (1 to " + MAX_NAME + " characters)"));
        }
        if (silence.getReason().isBlank() || silence.getReason().length() > MAX_REASON) {
            problems.add(new Problem("reason", "a silence must say why (1 to " + MAX_REASON + " characters)"));
        }
        if (silence.getExpiredBy() != null && silence.getExpiredBy().isBlank()) {
            problems.add(new Problem("expiredBy", "who ends a silence early must be named"));
        }
        return problems;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029);
    }

    /**
     * The problems of a silence about to be created at {@code now}: those of {@link #problems}, an end that has
     * passed already, which would cover nothing, and an author or reason with a control character.
     */
    public static List<Problem> problemsOfNew(Silence silence, Instant now) {
        List<Problem> problems = new ArrayList<>(problems(silence));
        // one line each: they are written into logs and the audit trail, where a line break would start a record of its own
        if (hasControl(silence.getAuthor())) {
            problems.add(new Problem("author", "a name has no control characters (line breaks included)"));
        }
        if (hasControl(silence.getReason())) {
            problems.add(new Problem("reason", "a reason is one line of text, without control characters (line breaks included)"));
        }
        if (!silence.getEndsAt().isAfter(now)) {
            problems.add(new Problem("endsAt", "ends (" + silence.getEndsAt() + ") before now (" + now + ")"));
        }
        return problems;
    }

    /**
     * A new silence as created at {@code now}, not yet checked: see {@link #problemsOfNew}.
     *
     * @param silenceId the id, or null for a fresh one ({@link #newId})
     * @param startsAt  from when; null for {@code now}
     * @param metric    the metric pattern, or null
     */
    public static Silence create(String silenceId, List<String> hosts, Map<String, String> hostLabels, String metric, Instant startsAt,
                                 Instant endsAt, String author, String reason, Instant now) {
        return Silence.newBuilder().setSilenceId(silenceId == null ? newId() : silenceId).setHosts(List.copyOf(hosts))
                .setHostLabels(Map.copyOf(hostLabels)).setMetric(metric).setStartsAt(startsAt == null ? now : startsAt)
                .setEndsAt(Objects.requireNonNull(endsAt, "endsAt can't be null")).setAuthor(author).setReason(reason).setCreatedAt(now)
                .setExpiredBy(null).build();
    }

    /** A fresh silence id: {@code s-} and 16 random hex digits. */
    public static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "s-" + HexFormat.of().formatHex(bytes);
    }

    /**
     * The version of {@code silence} that ends it at {@code now}, by {@code by}: the only change a silence takes. One
     * that has not started yet ends where it would have started, covering nothing.
     */
    public static Silence expired(Silence silence, String by, Instant now) {
        Objects.requireNonNull(by, "by can't be null");
        Instant end = now.isBefore(silence.getStartsAt()) ? silence.getStartsAt() : now;
        return Silence.newBuilder(silence).setEndsAt(end).setExpiredBy(by).build();
    }

    /** Whether {@code silence} is in force at {@code now}: from its start (inclusive) to its end (exclusive). */
    public static boolean isActive(Silence silence, Instant now) {
        return !now.isBefore(silence.getStartsAt()) && now.isBefore(silence.getEndsAt());
    }

    /** Whether {@code silence} has ended by {@code now}. */
    public static boolean hasEnded(Silence silence, Instant now) {
        return !now.isBefore(silence.getEndsAt());
    }

    /**
     * A silence compiled for matching alerts against it many times.
     *
     * @param silence the silence; must have no {@link #problems}
     */
    public static Scope scope(Silence silence) {
        return new Scope(silence.getSilenceId(), Set.copyOf(silence.getHosts()), Map.copyOf(silence.getHostLabels()),
                Optional.ofNullable(silence.getMetric()).map(Pattern::compile), silence.getStartsAt().toEpochMilli(),
                silence.getEndsAt().toEpochMilli());
    }

    /**
     * Which alerts a silence covers: every condition it gives holds (the host is one of its hosts, each of its host
     * labels equals the host's, the whole metric name matches its pattern) at a time within its window.
     */
    public record Scope(String silenceId, Set<String> hosts, Map<String, String> hostLabels, Optional<Pattern> metric, long startsAt,
                        long endsAt) {

        /**
         * @param metric the alert's metric; null for alerts of a whole host, which a silence with a metric pattern does not cover
         * @param now    the time that decides whether the silence is in force (the streams application's clock)
         */
        public boolean covers(String hostId, Map<String, String> hostLabels, String metric, long now) {
            if (now < startsAt || now >= endsAt) {
                return false;
            }
            if (!hosts.isEmpty() && !hosts.contains(hostId)) {
                return false;
            }
            for (Map.Entry<String, String> label : this.hostLabels.entrySet()) {
                if (!label.getValue().equals(hostLabels.get(label.getKey()))) {
                    return false;
                }
            }
            return this.metric.isEmpty() || metric != null && this.metric.get().matcher(metric).matches();
        }
    }
}
