package dev.vigil.remediation.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.vigil.avro.Silence;
import dev.vigil.schemas.SilenceContract;

/**
 * A silence the policy declares (its {@code silences} section): a maintenance window kept with the policy, which the
 * remediation consumer publishes to {@code vigil.silences} when it starts, as {@code vigil silence add} would.
 *
 * @param name   unique in the policy
 * @param starts from when; empty for from the first start of the consumer that publishes it
 * @param line   where it starts in the policy file, for messages
 */
public record PolicySilence(String name, List<String> hosts, Map<String, String> hostLabels, Optional<String> metric, Optional<Instant> starts,
                            Instant ends, String author, String reason, int line) {

    /** The prefix of the ids of policy silences; the consumer ends those the policy no longer declares. */
    public static final String ID_PREFIX = "policy.";

    public PolicySilence {
        Objects.requireNonNull(name, "name can't be null");
        hosts = List.copyOf(hosts);
        hostLabels = Map.copyOf(hostLabels);
        Objects.requireNonNull(metric, "metric can't be null");
        Objects.requireNonNull(starts, "starts can't be null");
        Objects.requireNonNull(ends, "ends can't be null");
        Objects.requireNonNull(author, "author can't be null");
        Objects.requireNonNull(reason, "reason can't be null");
    }

    /**
     * {@code policy.NAME.HASH}, the hash over what it declares: a silence is never edited, so a changed declaration is a
     * new silence (and the old one is ended).
     */
    public String silenceId() {
        String declared = String.join("\0", String.join(",", hosts), new TreeMap<>(hostLabels).toString(), metric.orElse(""),
                starts.map(Instant::toString).orElse(""), ends.toString(), author, reason);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(declared.getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + name + "." + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The silence to publish at {@code now}. */
    public Silence toSilence(Instant now) {
        return SilenceContract.create(silenceId(), hosts, hostLabels, metric.orElse(null), starts.orElse(now), ends, author, reason, now);
    }
}
