package dev.vigil.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.Silence;
import dev.vigil.remediation.policy.PolicySilence;
import dev.vigil.schemas.SilenceContract;

class PolicySilencesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static PolicySilence declared(String name, Instant ends) {
        return new PolicySilence(name, List.of("db-01"), Map.of(), Optional.empty(), Optional.empty(), ends, "alice", "upgrade", 1);
    }

    @Test
    void shouldPublishADeclaredSilenceOnceFromTheTimeItIsFirstPublished() {
        PolicySilence upgrade = declared("upgrade", NOW.plus(Duration.ofHours(2)));

        List<Silence> first = PolicySilences.changes(List.of(upgrade), List.of(), NOW, "remediation@x");
        List<Silence> second = PolicySilences.changes(List.of(upgrade), first, NOW.plus(Duration.ofMinutes(5)), "remediation@x");

        assertThat(first).singleElement().satisfies(silence -> {
            assertThat(silence.getSilenceId()).isEqualTo(upgrade.silenceId());
            assertThat(silence.getStartsAt()).isEqualTo(NOW);
            assertThat(silence.getAuthor()).isEqualTo("alice");
            assertThat(SilenceContract.problemsOfNew(silence, NOW)).isEmpty();
        });
        assertThat(second).as("on the topic already").isEmpty();
    }

    @Test
    void shouldEndThePolicySilencesThePolicyNoLongerDeclaresAndLeaveOthersAlone() {
        PolicySilence before = declared("upgrade", NOW.plus(Duration.ofHours(2)));
        PolicySilence changed = declared("upgrade", NOW.plus(Duration.ofHours(3)));
        Silence manual = SilenceContract.create("s-manual", List.of("web-01"), Map.of(), null, NOW, NOW.plus(Duration.ofHours(1)), "bob",
                "by hand", NOW);
        List<Silence> onTopic = List.of(before.toSilence(NOW), manual);

        List<Silence> changes = PolicySilences.changes(List.of(changed), onTopic, NOW.plus(Duration.ofMinutes(10)), "remediation@x");

        assertThat(changed.silenceId()).isNotEqualTo(before.silenceId());
        assertThat(changes).extracting(Silence::getSilenceId, Silence::getExpiredBy).containsExactly(
                tuple(changed.silenceId(), null),
                tuple(before.silenceId(), "remediation@x"));
        assertThat(changes.get(1).getEndsAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    }

    @Test
    void shouldNotPublishAWindowThatHasEndedNorEndOneAgain() {
        PolicySilence past = declared("past", NOW.minus(Duration.ofHours(1)));
        Silence ended = SilenceContract.expired(declared("old", NOW.plus(Duration.ofHours(1))).toSilence(NOW.minus(Duration.ofHours(2))),
                "remediation@x", NOW.minus(Duration.ofHours(1)));

        assertThat(PolicySilences.changes(List.of(past), List.of(ended), NOW, "remediation@x")).isEmpty();
    }
}
