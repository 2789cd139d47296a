package dev.vigil.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.Silence;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.remediation.audit.ChainedAuditSink;
import dev.vigil.schemas.SilenceContract;

class AlertingChangesTest {

    private static final byte[] KEY = "audit-key-audit-key-audit-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Alerts.T0;

    private final List<AuditRecord> trail = new ArrayList<>();

    private AlertingChanges changes(GuardState state) {
        AuditChain chain = trail.isEmpty() ? new AuditChain(KEY, 0, AuditChain.GENESIS)
                : new AuditChain(KEY, trail.get(trail.size() - 1).getSequence(), AuditChain.hash(trail.get(trail.size() - 1)));
        return new AlertingChanges(new ChainedAuditSink(chain, trail::add), state);
    }

    private static Silence silence() {
        return SilenceContract.create("s-1", List.of("web-01"), Map.of("role", "web"), "disk\\..*", NOW, NOW.plus(Duration.ofHours(2)),
                "alice", "disk replacement", NOW);
    }

    @Test
    void shouldAuditASilenceAddedAndEndedEarlyWithWhoAndWhat() {
        AlertingChanges changes = changes(new GuardState());

        changes.onSilence(silence(), NOW);
        changes.onSilence(SilenceContract.expired(silence(), "bob", NOW.plus(Duration.ofMinutes(30))), NOW.plus(Duration.ofMinutes(30)));

        assertThat(trail).extracting(AuditRecord::getOutcome, AuditRecord::getActor, AuditRecord::getAlertId, AuditRecord::getHostId)
                .containsExactly(tuple(AuditOutcome.SILENCE_ADDED, "alice", "s-1", "web-01"),
                        tuple(AuditOutcome.SILENCE_EXPIRED, "bob", "s-1", "web-01"));
        assertThat(trail.get(0).getDetail()).isEqualTo("hosts [web-01], host labels {role=web}, metric disk\\..*, from " + NOW + " until "
                + NOW.plus(Duration.ofHours(2)) + ", by alice: disk replacement");
        assertThat(trail.get(1).getDetail()).startsWith("ended early at " + NOW.plus(Duration.ofMinutes(30)) + "; was hosts [web-01]");
        assertThat(trail.get(0).getParametersHash()).as("the definition, hashed").isNotEqualTo(Remediator.parametersHash(Map.of()));
        assertThat(new AuditVerifier(KEY).verify(trail, List.of())).isEqualTo(new AuditVerifier.Result.Intact(2, 0));
    }

    @Test
    void shouldAuditEachChangeOnceAcrossARestartThatReplaysTheTrail() {
        HostRetirement retired = new HostRetirement("web-09", true, "carol", "decommissioned", NOW);
        AlertingChanges first = changes(new GuardState());
        assertThat(first.onSilence(silence(), NOW)).isTrue();
        assertThat(first.onRetirement(retired, NOW)).isTrue();
        assertThat(first.onSilence(silence(), NOW)).as("redelivered").isFalse();

        GuardState rebuilt = new GuardState();
        trail.forEach(record -> AuditReplay.apply(record, rebuilt));
        AlertingChanges restarted = changes(rebuilt);

        assertThat(restarted.onSilence(silence(), NOW.plusSeconds(60))).isFalse();
        assertThat(restarted.onRetirement(retired, NOW.plusSeconds(60))).isFalse();
        assertThat(restarted.onRetirement(new HostRetirement("web-09", false, "carol", "back", NOW.plusSeconds(30)), NOW.plusSeconds(60)))
                .isTrue();
        assertThat(trail).extracting(AuditRecord::getOutcome)
                .containsExactly(AuditOutcome.SILENCE_ADDED, AuditOutcome.HOST_RETIRED, AuditOutcome.HOST_REINSTATED);
        assertThat(trail.get(1).getDetail()).isEqualTo("decommissioned");
        assertThat(trail.get(1).getActor()).isEqualTo("carol");
    }
}
