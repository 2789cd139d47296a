package dev.vigil.remediation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.vigil.avro.Silence;
import dev.vigil.remediation.policy.PolicySilence;
import dev.vigil.schemas.SilenceContract;

/**
 * Keeps {@code vigil.silences} in step with the silences the policy declares, when the consumer starts: a declared
 * silence that has not ended and is not on the topic yet is published; a policy silence on the topic that the policy
 * no longer declares (removed, or changed, which gives it a new id) is ended early, by the consumer's actor. Silences
 * made with {@code vigil silence} or the HTTP API are never touched. Pure: the caller reads and writes the topic.
 */
final class PolicySilences {

    private PolicySilences() {
    }

    /**
     * @param onTopic the newest version of each silence on the topic
     * @return the records to write, in order
     */
    static List<Silence> changes(List<PolicySilence> declared, Collection<Silence> onTopic, Instant now, String actor) {
        Set<String> published = onTopic.stream().map(Silence::getSilenceId).collect(Collectors.toSet());
        Set<String> wanted = declared.stream().map(PolicySilence::silenceId).collect(Collectors.toSet());
        List<Silence> changes = new ArrayList<>();
        for (PolicySilence silence : declared) {
            if (!published.contains(silence.silenceId()) && silence.ends().isAfter(now)) {
                changes.add(silence.toSilence(now));
            }
        }
        for (Silence silence : onTopic) {
            if (silence.getSilenceId().startsWith(PolicySilence.ID_PREFIX) && !wanted.contains(silence.getSilenceId())
                    && !SilenceContract.hasEnded(silence, now)) {
                changes.add(SilenceContract.expired(silence, actor, now));
            }
        }
        return changes;
    }
}
